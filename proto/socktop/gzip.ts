// socktop's compression rule: replies over 768 bytes may arrive gzip-compressed in a binary frame.
// Pure functions over bytes; decompression is bounded so a hostile server cannot exhaust memory.

import { Gunzip, gzipSync } from 'fflate';

/** Payloads larger than this are compressed, as the real agent does. */
export const GZIP_THRESHOLD_BYTES = 768;

/** Far above any honest reply (a 10 000-process list is ~300 KiB), far below what hurts a renderer. */
export const MAX_GUNZIPPED_BYTES = 16 * 1024 * 1024;

/** Compressed input is fed in slices this big, so no single step can inflate past the bound by much. */
const INPUT_SLICE_BYTES = 4096;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Compresses only payloads above the threshold; smaller ones go as they are. */
export function gzipAboveThreshold(bytes: Uint8Array): Uint8Array {
  return bytes.length > GZIP_THRESHOLD_BYTES ? gzipSync(bytes, { level: 1, mtime: 0 }) : bytes;
}

/** Decompresses gzip, or returns null when the data is corrupt or would inflate past `maxBytes`. */
export function gunzipBounded(bytes: Uint8Array, maxBytes = MAX_GUNZIPPED_BYTES): Uint8Array | null {
  if (!isGzip(bytes)) return null;
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Gunzip((chunk) => {
    total += chunk.length;
    if (total <= maxBytes) chunks.push(chunk);
  });
  try {
    for (let offset = 0; offset < bytes.length; offset += INPUT_SLICE_BYTES) {
      const end = Math.min(bytes.length, offset + INPUT_SLICE_BYTES);
      stream.push(bytes.subarray(offset, end), end === bytes.length);
      if (total > maxBytes) return null;
    }
  } catch {
    return null;
  }
  const out = new Uint8Array(total);
  let position = 0;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.length;
  }
  return out;
}
