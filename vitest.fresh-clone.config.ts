// The README's Run line on a fresh clone (scripts/readme-run-line.test.ts): minutes of npm install from
// the registry and a full build, so it runs alone, after every other test (`npm run test:fresh-clone`).

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['scripts/readme-run-line.test.ts'],
    environment: 'node',
    testTimeout: 20 * 60_000,
    hookTimeout: 2 * 60_000,
    env: { FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1' },
  },
});
