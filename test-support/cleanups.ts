// Teardown for the tests of one file: steps pushed during a test run after it, newest first, so a
// socket closes before the server it talks to.

import { afterEach } from 'vitest';

export interface Cleanups {
  push(...steps: (() => unknown)[]): void;
}

/** Call once at the top of a test file. */
export function cleanupAfterEach(): Cleanups {
  const steps: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step();
  });
  return { push: (...added) => void steps.push(...added) };
}
