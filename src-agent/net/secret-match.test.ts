import { describe, expect, it } from 'vitest';
import { bearerMatches, secretsMatch } from './secret-match';

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

describe('secretsMatch', () => {
  it('accepts only the exact secret', () => {
    expect(secretsMatch('abc', 'abc')).toBe(true);
    for (const given of ['abd', 'ab', 'abcd', '', null, undefined]) expect(secretsMatch(given, 'abc')).toBe(false);
  });

  it('refuses a missing secret even when the expected one is empty', () => {
    expect(secretsMatch(null, '')).toBe(false);
    expect(secretsMatch('', '')).toBe(true);
  });
});
