// Reads Prometheus' HTTP API envelope: an instant query's vector, or the error it answered, in words a user
// reads. Never throws anything but an Error that says what was wrong; a malformed series is skipped alone,
// and a value Prometheus writes as "NaN", "+Inf" or "-Inf" never leaves this file.

import { z } from 'zod';
import type { HttpAnswer } from '../http-source';
import { parseJson, wireTimeToMs } from '../units';

/** One series of an instant vector whose value is a finite number. */
export interface InstantSeries {
  labels: Readonly<Record<string, string>>;
  value: number;
  /** When Prometheus evaluated the query. */
  timeMs: number;
}

export interface InstantVector {
  series: InstantSeries[];
  /** The evaluation time, where any series carried one. */
  timeMs?: number;
}

const envelopeSchema = z.object({
  status: z.string(),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
});

const vectorSchema = z.object({ resultType: z.literal('vector'), result: z.array(z.unknown()) });

const seriesSchema = z.object({
  metric: z.record(z.string(), z.string()),
  value: z.tuple([z.number(), z.string()]),
});

/** How Prometheus writes a float (Go's strconv 'f' format, or exponents from a proxy in front); JS's Number() would also take "" and "0x1f". */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a sample value string holds, or undefined for NaN, ±Inf and anything that is not a number. */
export function sampleValue(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The vector in an answer to /api/v1/query. `what` names the query in error messages ("FleetWatch's
 * query with job=~\"node\"").
 */
export function readInstantVector(answer: HttpAnswer, what: string): InstantVector {
  const body = answer.body.trimStart();
  if (body.startsWith('<') || answer.contentType.startsWith('text/html')) {
    throw new Error("the answer to Prometheus' query API is an HTML page, not Prometheus' JSON: is this Prometheus' address (with its path prefix, if it has one)?");
  }
  const envelope = envelopeSchema.safeParse(parseJson(body));
  if (!envelope.success) throw new Error(`the answer to ${what} is not Prometheus' JSON (it does not start with {"status": …}): is this Prometheus?`);
  const { status, data, errorType, error } = envelope.data;
  if (status === 'error') throw prometheusError(what, errorType, error);
  const vector = vectorSchema.safeParse(data);
  if (status !== 'success' || !vector.success) throw new Error(`the answer to ${what} is JSON but not an instant vector (status "${status.slice(0, 40)}"): is this Prometheus?`);

  const series: InstantSeries[] = [];
  for (const element of vector.data.result) {
    const parsed = seriesSchema.safeParse(element);
    if (!parsed.success) continue;
    const value = sampleValue(parsed.data.value[1]);
    const timeMs = wireTimeToMs(parsed.data.value[0]);
    if (value !== undefined && timeMs !== undefined) series.push({ labels: parsed.data.metric, value, timeMs });
  }
  return { series, timeMs: series[0]?.timeMs };
}

/** An error Prometheus explained, as an Error naming the query. */
export function prometheusError(what: string, errorType: string | undefined, error: string | undefined): Error {
  const kind = errorType ? ` (${errorType.slice(0, 40)})` : '';
  return new Error(`Prometheus could not run ${what}${kind}: ${error?.slice(0, 500) || 'it gave no reason'}`);
}
