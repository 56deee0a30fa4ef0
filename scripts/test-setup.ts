// First step of `npm test`: installs the Debian packages the tests use when they are missing (see
// scripts/test-setup/prerequisites.ts), so the README's Test line works on a fresh machine.

import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installPlan, PREREQUISITES, thisMachine } from './test-setup/prerequisites.ts';

function main(): number {
  const missing = PREREQUISITES.filter((prerequisite) => !prerequisite.isPresent());
  const plan = installPlan(missing, thisMachine());
  if (plan.kind === 'nothing') return 0;
  if (plan.kind === 'ask') {
    process.stderr.write(`npm test: ${plan.message}\n`);
    return 1;
  }
  // apt-get and dpkg print thousands of lines; they go to a log that is shown only if the install fails.
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-test-setup-')), 'apt.log');
  process.stdout.write(`npm test: installing what the tests need: ${missing.map((prerequisite) => prerequisite.debianPackage).join(', ')} (a minute or two; apt's output goes to ${log}) …\n`);
  const run = (command: string[]) => {
    const [program, ...args] = command as [string, ...string[]];
    process.stdout.write(`  ${command.join(' ')}\n`);
    const result = spawnSync(program, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    appendFileSync(log, `$ ${command.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}`);
    return result;
  };
  try {
    for (const command of plan.commands) {
      const result = run(command);
      if (result.status !== 0) {
        const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
        process.stderr.write(`${tail}\nnpm test: \`${command.join(' ')}\` failed (exit ${result.status ?? result.signal}; the whole output is in ${log}); install ${missing.map((prerequisite) => prerequisite.debianPackage).join(' ')} by hand, then run npm test again.\n`);
        return 1;
      }
    }
  } finally {
    for (const command of plan.cleanup) run(command);
  }
  const stillMissing = PREREQUISITES.filter((prerequisite) => !prerequisite.isPresent());
  if (stillMissing.length > 0) {
    process.stderr.write(`npm test: still missing after the install: ${stillMissing.map((prerequisite) => prerequisite.debianPackage).join(', ')}.\n`);
    return 1;
  }
  return 0;
}

process.exit(main());
