// The LAN discovery scan's flag: which UDP ports the hub's dashboard asks DISCOVER_SERVER on.

import { portListFlag } from '../cli/flags';
import { DISCOVERY_PORTS } from '../../proto/discovery';

export const dashboardScanPortsFlag = portListFlag({
  name: 'dashboard-scan-ports',
  group: 'dashboard',
  help: "UDP ports the dashboard's LAN discovery scan sends DISCOVER_SERVER to",
  defaultValue: [...DISCOVERY_PORTS],
});
