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
    expect(installPlan([], { hasAptGet: true, isRoot: false, hasPasswordlessSudo: false })).toEqual({ kind: 'nothing' });
  });

  it('are installed with apt-get as root, in one install command', () => {
    expect(installPlan([chromium, websockets], { hasAptGet: true, isRoot: true, hasPasswordlessSudo: false })).toEqual({
      kind: 'run',
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', 'chromium', 'python3-websockets'],
      ],
    });
  });

  it('are installed through sudo when it asks for no password', () => {
    const plan = installPlan([chromium], { hasAptGet: true, isRoot: false, hasPasswordlessSudo: true });
    expect(plan).toEqual({ kind: 'run', commands: [['sudo', '-n', 'apt-get', 'update', '-qq'], ['sudo', '-n', 'apt-get', 'install', '-y', '-qq', 'chromium']] });
  });

  it('are named with the command to type when sudo would ask for a password', () => {
    const plan = installPlan([chromium, websockets], { hasAptGet: true, isRoot: false, hasPasswordlessSudo: false });
    expect(plan.kind).toBe('ask');
    expect((plan as { message: string }).message).toContain('sudo apt-get update && sudo apt-get install -y chromium python3-websockets');
    expect((plan as { message: string }).message).toContain('chromium: the browser specs');
  });

  it('are named with what uses each where there is no apt-get', () => {
    const plan = installPlan([websockets], { hasAptGet: false, isRoot: true, hasPasswordlessSudo: false });
    expect(plan).toEqual({ kind: 'ask', message: expect.stringContaining('no apt-get') });
    expect((plan as { message: string }).message).toContain('python3-websockets: the Python clients');
  });
});
