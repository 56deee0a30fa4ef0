// Seeded generators of hostile input for fuzz tests: random bytes and text, and mutations of valid
// messages (bit flips, truncation, splicing, JSON values swapped for other types). A failing run names
// its seed so it can be replayed.

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Fuzzer {
  constructor(private readonly random: () => number) {}

  int(maxExclusive: number): number {
    return Math.floor(this.random() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(maxLength: number): Buffer {
    const out = Buffer.alloc(this.int(maxLength + 1));
    for (let index = 0; index < out.length; index++) out[index] = this.int(256);
    return out;
  }

  text(maxLength: number): string {
    const alphabet = ['{', '}', '[', ']', '"', ':', ',', '\\', 'a', 'type', 'null', '0', '-1', '1e999', '\u0000', '\u202e', '😀', ' ', '\n', 'get_metrics'];
    let out = '';
    const length = this.int(maxLength + 1);
    while (out.length < length) out += this.pick(alphabet);
    return out;
  }

  /** A value of a random JSON type, sometimes deeply nested. */
  jsonValue(depth = 0): unknown {
    const choice = this.int(depth > 3 ? 6 : 8);
    switch (choice) {
      case 0:
        return null;
      case 1:
        return this.pick([0, -1, 1e308, -0, 0.1, 2 ** 53 + 1, 42]);
      case 2:
        return this.pick(['', 'x'.repeat(this.int(3000)), '../../etc/passwd', '<script>', '%s%n', 'subscribe:usage']);
      case 3:
        return this.random() < 0.5;
      case 4:
        return [];
      case 5:
        return {};
      case 6:
        return Array.from({ length: this.int(5) }, () => this.jsonValue(depth + 1));
      default:
        return Object.fromEntries(Array.from({ length: this.int(5) }, () => [this.pick(['type', 'data', 'request_id', 'cmd', 'token', 'server_id', '__proto__', 'constructor']), this.jsonValue(depth + 1)]));
    }
  }

  /** A valid message with one of its fields replaced, removed or given a random type. */
  mutateJson(valid: Record<string, unknown>): string {
    const copy: Record<string, unknown> = structuredClone(valid);
    const keys = Object.keys(copy);
    const key = keys.length > 0 ? this.pick(keys) : 'type';
    const action = this.int(3);
    if (action === 0) delete copy[key];
    else if (action === 1) copy[key] = this.jsonValue();
    else copy[this.pick(['__proto__', 'constructor', 'x'.repeat(200)])] = this.jsonValue();
    return JSON.stringify(copy);
  }

  /** A valid message with one field at a random depth replaced or removed: reaches the checks inside a payload. */
  mutateDeep(valid: Record<string, unknown>): string {
    const copy: Record<string, unknown> = structuredClone(valid);
    let container: Record<string, unknown> = copy;
    // Arrays are descended too (their indices are keys); the walk stops at a leaf or an empty container.
    for (let levels = this.int(6); levels > 0; levels--) {
      const keys = Object.keys(container);
      if (keys.length === 0) break;
      const child = container[this.pick(keys)];
      if (typeof child !== 'object' || child === null) break;
      container = child as Record<string, unknown>;
    }
    const keys = Object.keys(container);
    const key = keys.length > 0 ? this.pick(keys) : 'type';
    if (this.int(4) === 0) delete container[key];
    else container[key] = this.jsonValue();
    return JSON.stringify(copy);
  }

  /** Bit flips, truncation or splicing of a valid frame's bytes. */
  mutateBytes(valid: string | Buffer): Buffer {
    const bytes = Buffer.from(valid);
    switch (this.int(3)) {
      case 0: {
        const copy = Buffer.from(bytes);
        for (let flips = 1 + this.int(4); flips > 0 && copy.length > 0; flips--) copy[this.int(copy.length)]! ^= 1 << this.int(8);
        return copy;
      }
      case 1:
        return bytes.subarray(0, this.int(bytes.length + 1));
      default:
        return Buffer.concat([bytes.subarray(0, this.int(bytes.length + 1)), this.bytes(32), bytes.subarray(this.int(bytes.length + 1))]);
    }
  }

  /** One hostile frame built from the protocol's valid messages. */
  frame(validMessages: readonly (string | Record<string, unknown>)[]): { data: string | Buffer; binary: boolean } {
    const valid = this.pick(validMessages);
    const asText = typeof valid === 'string' ? valid : JSON.stringify(valid);
    switch (this.int(6)) {
      case 0:
        return { data: this.bytes(512), binary: true };
      case 1:
        return { data: this.text(400), binary: false };
      case 2:
        return { data: typeof valid === 'string' ? this.text(60) : this.mutateJson(valid), binary: false };
      case 3:
        return { data: this.mutateBytes(asText).toString('utf8'), binary: false };
      case 4:
        return { data: this.mutateBytes(asText), binary: true };
      default:
        return { data: asText, binary: false };
    }
  }
}
