// Unit and integration tests under Node: real sockets on loopback, real child processes.
// Browser and Electron specs live in e2e/ and run under Playwright.

import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['proto/**/*.test.ts', 'fleet/**/*.test.ts', 'src-agent/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'test-support/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    // Minutes of install and build from a fresh clone: run alone by vitest.fresh-clone.config.ts.
    exclude: [...configDefaults.exclude, 'scripts/readme-run-line.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Discovery must never leave loopback from a test run, whatever the developer's environment says.
    env: { FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1' },
    pool: 'forks',
  },
});
