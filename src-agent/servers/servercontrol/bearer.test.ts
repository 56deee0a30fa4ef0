import { describe, expect, it } from 'vitest';
import { bearerMatches } from './bearer';

describe('bearerMatches', () => {
  const token = 's3cret-token_value';

  it('accepts exactly the token as a bearer credential, in any case of the scheme', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
  });

  it.each([undefined, '', token, `Basic ${token}`, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, 'Bearer ', `Bearer ${token} extra`, `Bearer  ${token.toUpperCase()}`])(
    'refuses %j',
    (header) => {
      expect(bearerMatches(header, token)).toBe(false);
    },
  );
});
