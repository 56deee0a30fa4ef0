// The web dashboard's flags. Specs only; the service reads their values through these objects.

import { portFlag, portListFlag, switchFlag } from '../cli/flags';
import { DISCOVERY_PORTS } from '../../proto/discovery';

export const ID = 'dashboard';

export const dashboardPortFlag = portFlag({
  name: 'dashboard-port',
  group: ID,
  help: 'Web dashboard and its API, always on 127.0.0.1 whatever --host says (the API hands out credentials)',
  defaultValue: 8787,
});

export const noDashboardFlag = switchFlag({ name: 'no-dashboard', group: ID, help: 'Do not serve the web dashboard' });

export const dashboardScanPortsFlag = portListFlag({
  name: 'dashboard-scan-ports',
  group: ID,
  help: "UDP ports the dashboard's LAN discovery scan sends DISCOVER_SERVER to",
  defaultValue: [...DISCOVERY_PORTS],
});

export const DASHBOARD_FLAGS = [dashboardPortFlag, noDashboardFlag, dashboardScanPortsFlag];
