// Glances writes its JSON with Python's encoders (ujson in 3.x), which print a float that is not a number as the
// bare words NaN, Infinity and -Infinity. JSON.parse rejects the whole answer over one such value, so they are
// read as null (a missing figure) first; the same words inside strings are left alone.

import { parseJson } from '../units';

const NON_FINITE_WORDS = ['-Infinity', 'Infinity', 'NaN'] as const;

/** The value of a Glances answer, or undefined when it is not JSON even with Python's words for non-finite floats. */
export function parseGlancesJson(text: string): unknown {
  const value = parseJson(text);
  if (value !== undefined || (!text.includes('NaN') && !text.includes('Infinity'))) return value;
  return parseJson(nonFiniteAsNull(text));
}

function nonFiniteAsNull(text: string): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    if (char !== 'N' && char !== 'I' && char !== '-') continue;
    const word = NON_FINITE_WORDS.find((candidate) => text.startsWith(candidate, index));
    if (!word) continue;
    parts.push(text.slice(copiedUpTo, index), 'null');
    index += word.length - 1;
    copiedUpTo = index + 1;
  }
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}
