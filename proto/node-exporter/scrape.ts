// Whether an HTTP answer is a text exposition carrying node_exporter's series, and, when it is not, what it
// is instead, in a sentence a user can act on.

import type { HttpAnswer } from '../http-source';
import { parseExposition, type Exposition, type MetricSelection } from './exposition';

export const NODE_PREFIX = 'node_';

export type AnswerShape = 'html' | 'json' | 'empty' | 'text';

export function answerShape(answer: HttpAnswer): AnswerShape {
  const start = answer.body.trimStart().slice(0, 1);
  if (answer.contentType.includes('html') || start === '<') return 'html';
  if (answer.contentType.includes('json') || start === '{' || start === '[') return 'json';
  return start === '' ? 'empty' : 'text';
}

/** True when at least one kept series is node_exporter's (not only GPU series, say). */
export function hasNodeSeries(exposition: Exposition): boolean {
  for (const name of exposition.series.keys()) if (name.startsWith(NODE_PREFIX)) return true;
  return false;
}

/** Parses a scrape of `path`; throws, saying what came instead, when it is not node_exporter's. */
export function readNodeScrape(answer: HttpAnswer, path: string, selection: MetricSelection): Exposition {
  const shape = answerShape(answer);
  const question = "is this node_exporter's /metrics?";
  if (shape === 'html') throw new Error(`${path} answered with an HTML page, not a metrics exposition: ${question}`);
  if (shape === 'json') throw new Error(`${path} answered JSON, not a metrics exposition: ${question}`);
  const exposition = parseExposition(answer.body, selection);
  if (!hasNodeSeries(exposition)) throw new Error(`${path} answered ${utf8Length(answer.body)} bytes with no node_ series: ${question}`);
  return exposition;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    // A surrogate pair is one 4-byte character: 2 bytes for each half.
    bytes += code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 2 : 3;
  }
  return bytes;
}
