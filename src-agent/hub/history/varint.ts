// Unsigned LEB128 varints and zigzag-signed integers: the stored history's numbers, one byte for small ones.

export class ByteWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  unsigned(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.byte((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.byte(rest);
  }

  signed(value: number): void {
    this.unsigned(zigzag(value));
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private byte(value: number): void {
    if (this.length === this.buffer.length) {
      const grown = new Uint8Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.length++] = value;
  }
}

export class ByteReader {
  private offset = 0;

  constructor(private readonly data: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.data.length;
  }

  unsigned(): number {
    let value = 0;
    let factor = 1;
    for (;;) {
      if (this.offset >= this.data.length) throw new RangeError('stored history chunk ends inside a number');
      const byte = this.data[this.offset++]!;
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) return value;
      factor *= 0x80;
    }
  }

  signed(): number {
    return unzigzag(this.unsigned());
  }
}

export function zigzag(value: number): number {
  return value < 0 ? -value * 2 - 1 : value * 2;
}

export function unzigzag(raw: number): number {
  return raw % 2 === 1 ? -(raw + 1) / 2 : raw / 2;
}
