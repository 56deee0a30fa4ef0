// Turns one HTTP answer of Glances into its JSON value, or into an Error a user can act on when the answer is
// an HTML page or no JSON at all (a web UI, a proxy's error page, a body cut short).

import type { HttpAnswer } from '../http-source';
import { parseGlancesJson } from './python-json';

export function isHtml(answer: HttpAnswer): boolean {
  return answer.body.trimStart().startsWith('<');
}

/**
 * The answer's JSON value. `rawTextAllowed` takes a body that is not JSON as a bare string: some Glances
 * versions send the uptime without quotes.
 */
export function jsonOf(path: string, answer: HttpAnswer, rawTextAllowed = false): unknown {
  if (isHtml(answer)) throw new Error(`${path} answered with an HTML page, not Glances' JSON: is this Glances' port?`);
  const json = parseGlancesJson(answer.body);
  if (json !== undefined) return json;
  if (rawTextAllowed && answer.body.trim() !== '') return answer.body.trim();
  throw new Error(`${path} answered something that is not JSON (${answer.body.length === 0 ? 'an empty body' : 'a broken or cut-short body'}), not Glances' figures.`);
}
