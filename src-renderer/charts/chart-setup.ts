// Registers only the chart.js pieces the host charts use (tree-shaken): line charts on linear axes,
// the LTTB decimation plugin, tooltips and legends. Imported once by TimeChart.

import { Chart, Decimation, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Decimation, Filler, Legend, Tooltip);
