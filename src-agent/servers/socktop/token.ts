// The optional socktop token, checked before the upgrade. Compared in constant time over fixed-length
// digests so neither the content nor the length of the expected token leaks through timing.

import { createHash, timingSafeEqual } from 'node:crypto';

export function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
