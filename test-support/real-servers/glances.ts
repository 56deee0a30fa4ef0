// Debian's Glances (3.3) as a REST API server on loopback, with a config file of its own in its data dir.
// Every plugin that would reach past loopback is off: the public-IP lookup (ip), the cloud metadata probe
// (cloud), the gateway ping (ports), the PyPI update check and the zeroconf announcement.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startDaemon, type ListenAt, type RealServer } from './daemon';

const CONFIG = ['[global]', 'check_update=false', '', '[ip]', 'public_ip_disabled=True', ''].join('\n');

export function startGlances(at?: ListenAt): Promise<RealServer> {
  return startDaemon({
    name: 'Glances',
    binary: '/usr/bin/glances',
    debianPackage: 'glances',
    // Its log and caches would go to /tmp/glances-root.log and ~/.cache otherwise.
    env: (_port, dataDir) => ({ XDG_CACHE_HOME: dataDir, TMPDIR: dataDir, HOME: dataDir }),
    prepare: (_port, dataDir) => writeFileSync(path.join(dataDir, 'glances.conf'), CONFIG),
    args: (port, dataDir, host) => [
      '-C',
      path.join(dataDir, 'glances.conf'),
      '-w',
      '--disable-webui',
      '--disable-check-update',
      '--disable-autodiscover',
      '--disable-plugin',
      'ip,cloud,ports',
      '-B',
      host,
      '-p',
      String(port),
    ],
    readyPath: '/api/3/cpu',
    // Its first answer waits for a full round of stats (about 5 s here).
    readyTimeoutMs: 30_000,
  }, at);
}
