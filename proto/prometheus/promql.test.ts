import { describe, expect, it } from 'vitest';
import { fleetQuery, PART_LABEL, promqlString, RATE_WINDOW } from './promql';

const PARTS = ['uname', 'up', 'core', 'gauge', 'filesystem', 'receive', 'transmit', 'gpu'];

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('prometheus fleet query', () => {
  it('tags each of its parts with its name, so that `or` keeps every series and the decoder knows which part it answers', () => {
    const query = fleetQuery();
    expect(query.split(' or label_replace(')).toHaveLength(PARTS.length);
    for (const part of PARTS) expect(count(query, `"${PART_LABEL}", "${part}", "", "")`)).toBe(1);
    expect(count(query, `[${RATE_WINDOW}]`)).toBe(3);
    expect(query).not.toContain('job=');
  });

  it("puts the user's job filter, as a regular expression, into every selector", () => {
    const query = fleetQuery('node|lab');
    expect(count(query, 'job=~"node|lab"')).toBe(PARTS.length);
    expect(count(query, '{')).toBe(PARTS.length);
  });

  it('writes a filter with quotes, backslashes, braces and newlines as one string literal that ends where it should', () => {
    expect(promqlString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(promqlString('x"} or vector(1) or up{job="')).toBe('"x\\"} or vector(1) or up{job=\\""');
    expect(promqlString('line\nbreak\ttab')).toBe('"line\\nbreak\\ttab"');
    const query = fleetQuery('x"}');
    expect(count(query, 'job=~"x\\"}"')).toBe(PARTS.length);
  });
});
