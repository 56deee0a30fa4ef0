// Prometheus text exposition format 0.0.4 (what node_exporter and prom-client serve), read line by line.
// Never throws: a line it cannot read is counted and skipped. Every line is checked, but only the metrics a
// reader asks for are kept, and only up to a cap, so a 16 MB body never becomes a structure of its size.

export interface ExpositionSeries {
  /** Label names to values. Null-prototype, so a `__proto__` label is only a label. */
  labels: Readonly<Record<string, string>>;
  /** As written: NaN and ±Infinity included, for the reader to refuse. */
  value: number;
  timestampMs?: number;
}

export interface Exposition {
  /** The wanted series by metric name, in the order they came. */
  series: ReadonlyMap<string, readonly ExpositionSeries[]>;
  /** Readable sample lines, wanted or not. */
  sampleLines: number;
  /** Lines that are neither blank, a comment nor a readable sample (HTML, a bad escape, a line cut short). */
  skippedLines: number;
  /** Wanted series left out because a cap was reached. */
  droppedSeries: number;
}

/** The metrics to keep: exact names, or names starting with one of the prefixes. */
export interface MetricSelection {
  names?: ReadonlySet<string>;
  prefixes?: readonly string[];
}

/** A machine with 1,024 cores has 8,192 node_cpu_seconds_total series; more of one name is a flood. */
export const MAX_SERIES_PER_NAME = 8192;
export const MAX_KEPT_SERIES = 65_536;

const TAB = 9;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;
const LETTER_N = 110;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;
const SPECIAL_VALUES: Record<string, number> = { nan: NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity };

export function parseExposition(text: string, selection: MetricSelection): Exposition {
  const series = new Map<string, ExpositionSeries[]>();
  const result = { series, sampleLines: 0, skippedLines: 0, droppedSeries: 0 };
  let kept = 0;
  // Decided before the labels are read, so a flood past the caps costs no allocation.
  const interest = (name: string): Interest => {
    if (!isWanted(name, selection)) return 'ignore';
    return kept >= MAX_KEPT_SERIES || (series.get(name)?.length ?? 0) >= MAX_SERIES_PER_NAME ? 'drop' : 'keep';
  };
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    if (newline < 0) {
      // A last line without its newline is an answer cut short (Go's parser refuses it too): its value may be cut as well.
      if (!isBlankOrComment(text, start, text.length)) result.skippedLines += 1;
      break;
    }
    const end = newline > start && text.charCodeAt(newline - 1) === CARRIAGE_RETURN ? newline - 1 : newline;
    const line = readLine(text, start, end, interest);
    start = newline + 1;
    if (line === 'blank') continue;
    if (line === 'unreadable') {
      result.skippedLines += 1;
      continue;
    }
    result.sampleLines += 1;
    if (line === 'ignore') continue;
    if (line === 'drop') {
      result.droppedSeries += 1;
      continue;
    }
    kept += 1;
    const list = series.get(line.name);
    if (list) list.push(line.series);
    else series.set(line.name, [line.series]);
  }
  return result;
}

type Interest = 'keep' | 'drop' | 'ignore';
type LineResult = 'blank' | 'unreadable' | Exclude<Interest, 'keep'> | { name: string; series: ExpositionSeries };

function readLine(text: string, start: number, end: number, interest: (name: string) => Interest): LineResult {
  let position = skipBlanks(text, start, end);
  if (position === end || text.charCodeAt(position) === HASH) return 'blank';
  const nameStart = position;
  if (!isNameStart(text.charCodeAt(position))) return 'unreadable';
  position += 1;
  while (position < end && isNameChar(text.charCodeAt(position))) position += 1;
  const name = text.slice(nameStart, position);
  const wanted = interest(name);
  const labels: Record<string, string> | undefined = wanted === 'keep' ? Object.create(null) : undefined;

  const afterName = skipBlanks(text, position, end);
  const labelled = text.charCodeAt(afterName) === OPEN_BRACE;
  if (labelled) {
    position = readLabels(text, afterName + 1, end, labels);
    if (position < 0) return 'unreadable';
  }
  const valueStart = skipBlanks(text, position, end);
  if (valueStart === end || (!labelled && valueStart === position)) return 'unreadable';
  const valueEnd = tokenEnd(text, valueStart, end);
  const value = parseValue(text.slice(valueStart, valueEnd));
  if (value === undefined) return 'unreadable';

  let timestampMs: number | undefined;
  const timestampStart = skipBlanks(text, valueEnd, end);
  if (timestampStart < end) {
    if (timestampStart === valueEnd) return 'unreadable';
    const timestampEnd = tokenEnd(text, timestampStart, end);
    const timestamp = text.slice(timestampStart, timestampEnd);
    if (!INTEGER.test(timestamp) || skipBlanks(text, timestampEnd, end) !== end) return 'unreadable';
    timestampMs = Number(timestamp);
  }

  if (!labels) return wanted as Exclude<Interest, 'keep'>;
  return { name, series: timestampMs === undefined ? { labels, value } : { labels, value, timestampMs } };
}

/** Reads `name="value",...}` from just after the brace; the position after the closing brace, or -1. */
function readLabels(text: string, start: number, end: number, labels: Record<string, string> | undefined): number {
  let position = skipBlanks(text, start, end);
  while (position < end && text.charCodeAt(position) !== CLOSE_BRACE) {
    const nameStart = position;
    if (!isLabelNameStart(text.charCodeAt(position))) return -1;
    while (position < end && isLabelNameChar(text.charCodeAt(position))) position += 1;
    const labelName = text.slice(nameStart, position);
    position = skipBlanks(text, position, end);
    if (text.charCodeAt(position) !== EQUALS) return -1;
    position = skipBlanks(text, position + 1, end);
    if (text.charCodeAt(position) !== QUOTE) return -1;
    const value = readQuoted(text, position + 1, end, labels !== undefined);
    if (!value) return -1;
    if (labels) {
      // Prometheus refuses a series naming one label twice; so does this reader.
      if (labelName in labels) return -1;
      labels[labelName] = value.text;
    }
    position = skipBlanks(text, value.next, end);
    if (text.charCodeAt(position) === COMMA) position = skipBlanks(text, position + 1, end);
    else if (text.charCodeAt(position) !== CLOSE_BRACE) return -1;
  }
  return position < end ? position + 1 : -1;
}

/**
 * A label value from just after its opening quote, decoded only when `decode` (a line not kept is only
 * checked): `\\`, `\"` and `\n` are the only escapes 0.0.4 has.
 */
function readQuoted(text: string, start: number, end: number, decode: boolean): { text: string; next: number } | undefined {
  let decoded = '';
  let chunkStart = start;
  for (let position = start; position < end; position += 1) {
    const code = text.charCodeAt(position);
    if (code === QUOTE) return { text: decode ? decoded + text.slice(chunkStart, position) : '', next: position + 1 };
    if (code !== BACKSLASH) continue;
    const escaped = text.charCodeAt(position + 1);
    if (position + 1 >= end || (escaped !== BACKSLASH && escaped !== QUOTE && escaped !== LETTER_N)) return undefined;
    if (decode) decoded += text.slice(chunkStart, position) + (escaped === LETTER_N ? '\n' : String.fromCharCode(escaped));
    position += 1;
    chunkStart = position + 1;
  }
  return undefined;
}

function parseValue(token: string): number | undefined {
  if (DECIMAL.test(token)) return Number(token);
  const special = token.toLowerCase();
  return Object.hasOwn(SPECIAL_VALUES, special) ? SPECIAL_VALUES[special] : undefined;
}

function isWanted(name: string, selection: MetricSelection): boolean {
  if (selection.names?.has(name)) return true;
  return selection.prefixes?.some((prefix) => name.startsWith(prefix)) ?? false;
}

function isBlankOrComment(text: string, start: number, end: number): boolean {
  const position = skipBlanks(text, start, end);
  return position === end || text.charCodeAt(position) === HASH || text.charCodeAt(position) === CARRIAGE_RETURN;
}

function skipBlanks(text: string, start: number, end: number): number {
  let position = start;
  while (position < end && (text.charCodeAt(position) === SPACE || text.charCodeAt(position) === TAB)) position += 1;
  return position;
}

function tokenEnd(text: string, start: number, end: number): number {
  let position = start;
  while (position < end && text.charCodeAt(position) !== SPACE && text.charCodeAt(position) !== TAB) position += 1;
  return position;
}

function isLabelNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isLabelNameChar(code: number): boolean {
  return isLabelNameStart(code) || (code >= 48 && code <= 57);
}

function isNameStart(code: number): boolean {
  return isLabelNameStart(code) || code === 58;
}

function isNameChar(code: number): boolean {
  return isLabelNameChar(code) || code === 58;
}
