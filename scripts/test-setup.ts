// First step of `npm test`: installs the Debian packages the tests use when they are missing (see
// scripts/test-setup/prerequisites.ts), so the README's Test line works on a fresh machine.

import { spawnSync } from 'node:child_process';
import { installPlan, PREREQUISITES, thisMachine } from './test-setup/prerequisites.ts';

function main(): number {
  const missing = PREREQUISITES.filter((prerequisite) => !prerequisite.isPresent());
  const plan = installPlan(missing, thisMachine());
  if (plan.kind === 'nothing') return 0;
  if (plan.kind === 'ask') {
    process.stderr.write(`npm test: ${plan.message}\n`);
    return 1;
  }
  process.stdout.write(`npm test: installing what the tests need: ${missing.map((prerequisite) => prerequisite.debianPackage).join(', ')} …\n`);
  for (const command of plan.commands) {
    const [program, ...args] = command as [string, ...string[]];
    const run = spawnSync(program, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (run.status !== 0) {
      process.stderr.write(`npm test: \`${command.join(' ')}\` failed (exit ${run.status ?? run.signal}); install ${missing.map((prerequisite) => prerequisite.debianPackage).join(' ')} by hand, then run npm test again.\n`);
      return 1;
    }
  }
  const stillMissing = PREREQUISITES.filter((prerequisite) => !prerequisite.isPresent());
  if (stillMissing.length > 0) {
    process.stderr.write(`npm test: still missing after the install: ${stillMissing.map((prerequisite) => prerequisite.debianPackage).join(', ')}.\n`);
    return 1;
  }
  return 0;
}

process.exit(main());
