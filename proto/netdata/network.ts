// Network from Netdata's net.<interface> charts (received and sent, in kilobits/s; Netdata draws sent below the
// axis, so it arrives negative) and system.net, Netdata's sum over the physical interfaces. Loopback is left out.

import type { NetworkInterfaceSample, NetworkSample } from '../model';
import { bytesPerSecondPerUnit } from './chart-units';
import type { NetdataChart } from './charts';

const MAX_INTERFACES = 256;
/** Faster than any link (10 Tbit/s): a larger rate is a broken answer. */
const MAX_BYTES_PER_SECOND = 1.25e12;
const PREFIX = 'net.';

export function networkSample(charts: ReadonlyMap<string, NetdataChart>): NetworkSample | undefined {
  const interfaces: NetworkInterfaceSample[] = [];
  for (const [id, chart] of charts) {
    if (!id.startsWith(PREFIX) || interfaces.length >= MAX_INTERFACES) continue;
    const name = chart.family || id.slice(PREFIX.length);
    const rates = ratesOf(chart);
    if (name !== 'lo' && rates) interfaces.push({ name, ...rates });
  }
  const physical = ratesOf(charts.get('system.net'));
  if (interfaces.length === 0 && !physical) return undefined;
  const totals = physical ?? {
    rxBytesPerSec: interfaces.reduce((sum, { rxBytesPerSec }) => sum + (rxBytesPerSec ?? 0), 0),
    txBytesPerSec: interfaces.reduce((sum, { txBytesPerSec }) => sum + (txBytesPerSec ?? 0), 0),
  };
  return interfaces.length > 0 ? { interfaces, ...totals } : totals;
}

/** system.net names its dimensions InOctets and OutOctets, net.* names them received and sent. */
function ratesOf(chart: NetdataChart | undefined): { rxBytesPerSec: number; txBytesPerSec: number } | undefined {
  const factor = chart && bytesPerSecondPerUnit(chart.units);
  if (!chart || factor === undefined) return undefined;
  const rate = (value: number | undefined): number | undefined => {
    const bytesPerSecond = value === undefined ? undefined : Math.round(Math.abs(value) * factor);
    return bytesPerSecond !== undefined && bytesPerSecond <= MAX_BYTES_PER_SECOND ? bytesPerSecond : undefined;
  };
  const rxBytesPerSec = rate(chart.valuesByName.get('received'));
  const txBytesPerSec = rate(chart.valuesByName.get('sent'));
  return rxBytesPerSec === undefined || txBytesPerSec === undefined ? undefined : { rxBytesPerSec, txBytesPerSec };
}
