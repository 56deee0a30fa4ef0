// The system packages the test suite uses beyond npm's, how to tell each is there, and how to install the
// missing ones: apt-get as root, else through sudo when it needs no password, else the command to type.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Prerequisite {
  debianPackage: string;
  /** Which tests need it, for the line that says it is missing. */
  usedBy: string;
  isPresent: () => boolean;
  /** Its package starts a service at install; the tests start their own on loopback, so it must not. */
  startsService?: boolean;
}

function commandRuns(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

export const PREREQUISITES: Prerequisite[] = [
  { debianPackage: 'chromium', usedBy: 'the browser specs (Playwright drives /usr/bin/chromium)', isPresent: () => existsSync('/usr/bin/chromium') },
  { debianPackage: 'python3-websockets', usedBy: 'the clients written in Python', isPresent: () => commandRuns('/usr/bin/python3', ['-c', 'import websockets']) },
  { debianPackage: 'iproute2', usedBy: 'the tests across network namespaces', isPresent: () => commandRuns('ip', ['-V']) },
  { debianPackage: 'git', usedBy: 'the fresh-clone test of the README', isPresent: () => commandRuns('git', ['--version']) },
  { debianPackage: 'prometheus-node-exporter', usedBy: 'the node_exporter source against the real server', isPresent: () => existsSync('/usr/bin/prometheus-node-exporter'), startsService: true },
  { debianPackage: 'prometheus', usedBy: 'the Prometheus source against the real server', isPresent: () => existsSync('/usr/bin/prometheus'), startsService: true },
  { debianPackage: 'glances', usedBy: 'the Glances source against the real server', isPresent: () => existsSync('/usr/bin/glances'), startsService: true },
  { debianPackage: 'python3-bottle', usedBy: "Glances' web API (glances -w)", isPresent: () => commandRuns('/usr/bin/python3', ['-c', 'import bottle']) },
  { debianPackage: 'netdata', usedBy: 'the Netdata source against the real server', isPresent: () => existsSync('/usr/sbin/netdata'), startsService: true },
];

/** `cleanup` runs after `commands` whether they succeeded or not. */
export type InstallPlan = { kind: 'nothing' } | { kind: 'run'; commands: string[][]; cleanup: string[][] } | { kind: 'ask'; message: string };

export interface Machine {
  hasAptGet: boolean;
  isRoot: boolean;
  hasPasswordlessSudo: boolean;
  /** Debian's switch that stops packages starting their services at install (containers have one). */
  hasPolicyRcD: boolean;
}

const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/** What to do about the missing packages on this machine. */
export function installPlan(missing: Prerequisite[], machine: Machine): InstallPlan {
  if (missing.length === 0) return { kind: 'nothing' };
  const packages = missing.map((prerequisite) => prerequisite.debianPackage);
  const why = missing.map((prerequisite) => `  ${prerequisite.debianPackage}: ${prerequisite.usedBy}`).join('\n');
  if (!machine.hasAptGet) return { kind: 'ask', message: `The tests need these packages, and this machine has no apt-get to install them; install them, then run npm test again:\n${why}` };
  const sudo = machine.isRoot ? [] : ['sudo', '-n'];
  // Installed, never started: node_exporter, Prometheus and Netdata would otherwise listen on every
  // interface of this machine, on the very ports a bare host is detected on.
  const holdServices = !machine.hasPolicyRcD && missing.some((prerequisite) => prerequisite.startsService);
  const commands = [
    ...(holdServices ? [[...sudo, 'sh', '-c', `printf '#!/bin/sh\\nexit 101\\n' > ${POLICY_RC_D} && chmod 755 ${POLICY_RC_D}`]] : []),
    [...sudo, 'apt-get', 'update', '-qq'],
    [...sudo, 'apt-get', 'install', '-y', '-qq', ...packages],
  ];
  const cleanup = holdServices ? [[...sudo, 'rm', '-f', POLICY_RC_D]] : [];
  if (machine.isRoot || machine.hasPasswordlessSudo) return { kind: 'run', commands, cleanup };
  return { kind: 'ask', message: `The tests need these Debian packages:\n${why}\nInstall them, then run npm test again:\n  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}` };
}

export function thisMachine(): Machine {
  return {
    hasAptGet: commandRuns('apt-get', ['--version']),
    isRoot: process.getuid?.() === 0,
    hasPasswordlessSudo: commandRuns('sudo', ['-n', 'true']),
    hasPolicyRcD: existsSync(POLICY_RC_D),
  };
}
