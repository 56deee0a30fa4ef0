import { describe, expect, it } from 'vitest';
import { hasTag, parseTagInput, TagError, uniqueTags } from './tags';

describe('tags', () => {
  it('reads a typed list: comma separated, trimmed, each once without case, in the order typed', () => {
    expect(parseTagInput(' gpu, rack 3 ,, GPU,lab ')).toEqual(['gpu', 'rack 3', 'lab']);
    expect(parseTagInput('  ')).toEqual([]);
  });

  it('says what is wrong with a list it cannot take', () => {
    expect(() => parseTagInput('x'.repeat(41))).toThrow(new TagError('a tag is at most 40 characters'));
    expect(() => parseTagInput(Array.from({ length: 17 }, (_, index) => `t${index}`).join(','))).toThrow(new TagError('at most 16 tags'));
  });

  it('compares without case', () => {
    expect(uniqueTags(['Lab', 'lab', 'LAB', 'gpu'])).toEqual(['Lab', 'gpu']);
    expect(hasTag(['Lab', 'gpu'], 'lab')).toBe(true);
    expect(hasTag(['Lab'], 'la')).toBe(false);
  });
});
