// The field types of Glances' answers, checked as they are read: a field that is missing, null (Python's NaN),
// of the wrong type or out of range reads as undefined and loses only itself, never its record.

import { z } from 'zod';

/** 2^64: no byte counter of a 64-bit kernel goes past it, and sums of a few stay finite. */
const MAX_BYTES = 2 ** 64;

export const optionalBytes = z.number().min(0).max(MAX_BYTES).optional().catch(undefined);

/** Clamped: Glances rounds, so a busy core can read 100.1. */
export const optionalPercent = z
  .number()
  .transform((value) => Math.min(100, Math.max(0, value)))
  .optional()
  .catch(undefined);

/** Glances' `time_since_update`: seconds between its last two refreshes. Below 10 ms a rate is noise. */
export const optionalIntervalSec = z.number().min(0.01).max(86_400).optional().catch(undefined);

export const optionalCount = z.number().int().min(1).max(65_536).optional().catch(undefined);

export const optionalText = (max: number) => z.string().max(max).optional().catch(undefined);

export const optionalNumber = z.number().optional().catch(undefined);
