// Comparing a presented token or secret with the expected one. Both sides are hashed first, so the
// comparison runs over equal lengths and its time reveals neither the content nor the length.

import { crypto } from './node-crypto';

const digest = (value: string): Buffer => crypto().createHash('sha256').update(value, 'utf8').digest();

export function secretsMatch(given: string | null | undefined, expected: string): boolean {
  // Hash even a missing value, so a missing and a wrong one take the same time.
  const same = crypto().timingSafeEqual(digest(typeof given === 'string' ? given : ''), digest(expected));
  return same && typeof given === 'string';
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')?.[1] ?? null;
}

export function bearerMatches(header: string | undefined, expected: string): boolean {
  return secretsMatch(bearerToken(header), expected);
}
