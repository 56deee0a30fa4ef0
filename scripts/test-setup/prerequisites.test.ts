import { describe, expect, it } from 'vitest';
import { installPlan, PREREQUISITES, type Prerequisite } from './prerequisites.ts';

// What `npm test`'s first step does about missing system packages, on each kind of machine.

const chromium: Prerequisite = { debianPackage: 'chromium', usedBy: 'the browser specs', isPresent: () => false };
const websockets: Prerequisite = { debianPackage: 'python3-websockets', usedBy: 'the Python clients', isPresent: () => false };

describe('the test prerequisites', () => {
  it('are all present once npm test has set them up (this run started with that step)', () => {
    expect(PREREQUISITES.filter((prerequisite) => !prerequisite.isPresent()).map((prerequisite) => prerequisite.debianPackage)).toEqual([]);
  });

  it('need nothing done when none is missing', () => {
    expect(installPlan([], { hasAptGet: true, isRoot: false, hasPasswordlessSudo: false, hasPolicyRcD: true })).toEqual({ kind: 'nothing' });
  });

  it('are installed with apt-get as root, in one install command', () => {
    expect(installPlan([chromium, websockets], { hasAptGet: true, isRoot: true, hasPasswordlessSudo: false, hasPolicyRcD: true })).toEqual({
      kind: 'run',
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', 'chromium', 'python3-websockets'],
      ],
      cleanup: [],
    });
  });

  it('are installed through sudo when it asks for no password', () => {
    const plan = installPlan([chromium], { hasAptGet: true, isRoot: false, hasPasswordlessSudo: true, hasPolicyRcD: true });
    expect(plan).toEqual({ kind: 'run', commands: [['sudo', '-n', 'apt-get', 'update', '-qq'], ['sudo', '-n', 'apt-get', 'install', '-y', '-qq', 'chromium']], cleanup: [] });
  });

  it("install a server's package without starting its service, where no policy-rc.d already forbids it, and take the switch away after", () => {
    const netdata: Prerequisite = { debianPackage: 'netdata', usedBy: 'the Netdata source', isPresent: () => false, startsService: true };
    const plan = installPlan([chromium, netdata], { hasAptGet: true, isRoot: false, hasPasswordlessSudo: true, hasPolicyRcD: false });
    expect(plan).toEqual({
      kind: 'run',
      commands: [
        ['sudo', '-n', 'sh', '-c', "printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d"],
        ['sudo', '-n', 'apt-get', 'update', '-qq'],
        ['sudo', '-n', 'apt-get', 'install', '-y', '-qq', 'chromium', 'netdata'],
      ],
      cleanup: [['sudo', '-n', 'rm', '-f', '/usr/sbin/policy-rc.d']],
    });
    expect(installPlan([netdata], { hasAptGet: true, isRoot: true, hasPasswordlessSudo: false, hasPolicyRcD: true })).toMatchObject({ commands: [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', 'netdata']], cleanup: [] });
  });

  it('are named with the command to type when sudo would ask for a password', () => {
    const plan = installPlan([chromium, websockets], { hasAptGet: true, isRoot: false, hasPasswordlessSudo: false, hasPolicyRcD: true });
    expect(plan.kind).toBe('ask');
    expect((plan as { message: string }).message).toContain('sudo apt-get update && sudo apt-get install -y chromium python3-websockets');
    expect((plan as { message: string }).message).toContain('chromium: the browser specs');
  });

  it('are named with what uses each where there is no apt-get', () => {
    const plan = installPlan([websockets], { hasAptGet: false, isRoot: true, hasPasswordlessSudo: false, hasPolicyRcD: true });
    expect(plan).toEqual({ kind: 'ask', message: expect.stringContaining('no apt-get') });
    expect((plan as { message: string }).message).toContain('python3-websockets: the Python clients');
  });
});
