// Debian's Netdata on loopback, everything it keeps (config, cache, lib, logs, pid) in its own data dir. Its
// external plugins, statsd (which would listen on the host's port 8125), cgroups (shared memory in /dev/shm),
// health notifications, the registry and anonymous statistics (opted out by the file it looks for in its config
// dir) are off. Two things escape the data dir and cannot be moved: libuuid's /var/lib/libuuid/clock.txt and
// netdatacli's socket /tmp/netdata-ipc.
//
// Its plugins dir is one of its own, holding only the facts script /api/v1/info needs, run with the
// virtualization given: Debian's script otherwise probes the cloud metadata address 169.254.169.254 and
// metadata.google.internal with curl. No other helper (anonymous statistics, Kubernetes labels) is there to run.

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDaemon, type ListenAt, type RealServer } from './daemon';

const SYSTEM_INFO = '#!/bin/sh\nVIRTUALIZATION=none exec /usr/lib/netdata/plugins.d/system-info.sh "$@"\n';

export function startNetdata(at?: ListenAt): Promise<RealServer> {
  return startDaemon({
    name: 'Netdata',
    binary: '/usr/sbin/netdata',
    debianPackage: 'netdata',
    args: (_port, dataDir) => ['-D', '-c', path.join(dataDir, 'netdata.conf'), '-P', path.join(dataDir, 'netdata.pid')],
    readyPath: '/api/v1/info',
    prepare: (port, dataDir, host) => {
      for (const dir of ['config', 'cache', 'lib', 'log', 'plugins']) mkdirSync(path.join(dataDir, dir));
      writeFileSync(path.join(dataDir, 'config', '.opt-out-from-anonymous-statistics'), '');
      writeFileSync(path.join(dataDir, 'plugins', 'system-info.sh'), SYSTEM_INFO, { mode: 0o755 });
      writeFileSync(path.join(dataDir, 'netdata.conf'), netdataConf(host, port, dataDir));
    },
  }, at);
}

function netdataConf(host: string, port: number, dataDir: string): string {
  return `[global]
  run as user = ${os.userInfo().username}
[db]
  mode = ram
[directories]
  config = ${path.join(dataDir, 'config')}
  cache = ${path.join(dataDir, 'cache')}
  lib = ${path.join(dataDir, 'lib')}
  log = ${path.join(dataDir, 'log')}
  plugins = ${path.join(dataDir, 'plugins')}
  home = ${dataDir}
[web]
  bind to = ${host}:${port}
[plugins]
  enable running new plugins = no
  cgroups = no
  statsd = no
  tc = no
  idlejitter = no
  timex = no
[statsd]
  enabled = no
[health]
  enabled = no
[ml]
  enabled = no
[registry]
  enabled = no
`;
}
