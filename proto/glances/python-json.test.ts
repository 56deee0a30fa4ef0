import { describe, expect, it } from 'vitest';
import { parseGlancesJson } from './python-json';

describe("reading Glances' Python-flavoured JSON", () => {
  it('reads plain JSON as JSON.parse does', () => {
    expect(parseGlancesJson('{"total":43.8,"cpucore":2}')).toEqual({ total: 43.8, cpucore: 2 });
    expect(parseGlancesJson('"11:15:10"')).toBe('11:15:10');
    expect(parseGlancesJson('null')).toBeNull();
  });

  it('reads the NaN, Infinity and -Infinity that Python writes for non-finite floats as null', () => {
    expect(parseGlancesJson('{"a":NaN,"b":Infinity,"c":-Infinity,"d":[NaN, 1]}')).toEqual({ a: null, b: null, c: null, d: [null, 1] });
  });

  it('leaves those words alone inside strings, escaped quotes included', () => {
    expect(parseGlancesJson('{"label":"NaN \\"Infinity\\" -Infinity","value":NaN}')).toEqual({ label: 'NaN "Infinity" -Infinity', value: null });
    expect(parseGlancesJson('["back\\\\",NaN]')).toEqual(['back\\', null]);
  });

  it('gives undefined for a body cut short, an HTML page, an empty body, and words that are only near NaN', () => {
    expect(parseGlancesJson('{"total":43.8,"cpu')).toBeUndefined();
    expect(parseGlancesJson('{"total":NaN,"cpu')).toBeUndefined();
    expect(parseGlancesJson('<!DOCTYPE HTML><html></html>')).toBeUndefined();
    expect(parseGlancesJson('')).toBeUndefined();
    expect(parseGlancesJson('{"a":NaNa}')).toBeUndefined();
    expect(parseGlancesJson('{"a":Infinit}')).toBeUndefined();
  });
});
