// Checks an `Authorization: Bearer <token>` header against the agent's token in constant time.
// Never logs or returns the token; callers learn only yes or no.

import { createHash, timingSafeEqual } from 'node:crypto';

/** Hashing both sides first gives equal lengths, so neither the length nor the content leaks through timing. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  const given = createHash('sha256').update(match?.[1] ?? '').digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}
