/** Pure byte helpers: a bounds-checked reader and a growable writer. Big-endian throughout. */
import { ProtocolError } from '../errors.js';

export const WRONG_LENGTH = 0x08;
export const INVALID_DATA = 0x02;

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(text: string): Uint8Array {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new ProtocolError('BAD_HEX', `Expected an even-length hex string, got ${JSON.stringify(text.slice(0, 20))}.`);
  }
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Reads fields from a payload; every overrun is a ProtocolError with WRONG_LENGTH. */
export class Reader {
  private off = 0;
  constructor(
    readonly bytes: Uint8Array,
    private readonly what = 'payload',
  ) {}

  get remaining(): number {
    return this.bytes.length - this.off;
  }

  private need(n: number, field: string): void {
    if (n < 0 || this.off + n > this.bytes.length) {
      throw new ProtocolError(
        'TRUNCATED',
        `${this.what}: ${field} needs ${n} byte(s) at offset ${this.off}, but only ${this.remaining} remain.`,
        WRONG_LENGTH,
      );
    }
  }

  u8(field = 'u8'): number {
    this.need(1, field);
    return this.bytes[this.off++];
  }

  u16(field = 'u16'): number {
    this.need(2, field);
    const v = (this.bytes[this.off] << 8) | this.bytes[this.off + 1];
    this.off += 2;
    return v;
  }

  u32(field = 'u32'): number {
    this.need(4, field);
    const b = this.bytes;
    const v = ((b[this.off] << 24) >>> 0) + (b[this.off + 1] << 16) + (b[this.off + 2] << 8) + b[this.off + 3];
    this.off += 4;
    return v;
  }

  u64(field = 'u64'): bigint {
    this.need(8, field);
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(this.bytes[this.off + i]);
    this.off += 8;
    return v;
  }

  bytesN(n: number, field = 'bytes'): Uint8Array {
    this.need(n, field);
    const out = this.bytes.subarray(this.off, this.off + n);
    this.off += n;
    return out;
  }

  rest(): Uint8Array {
    const out = this.bytes.subarray(this.off);
    this.off = this.bytes.length;
    return out;
  }

  /** Every byte must have been consumed. */
  end(): void {
    if (this.remaining !== 0) {
      throw new ProtocolError('TRAILING_BYTES', `${this.what}: ${this.remaining} unexpected trailing byte(s).`, WRONG_LENGTH);
    }
  }
}

export class Writer {
  private buf: Uint8Array;
  private off = 0;
  constructor(initial = 64) {
    this.buf = new Uint8Array(initial);
  }

  private grow(n: number): void {
    if (this.off + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.off + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.off));
    this.buf = next;
  }

  u8(v: number): this {
    this.grow(1);
    this.buf[this.off++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.grow(2);
    this.buf[this.off++] = (v >>> 8) & 0xff;
    this.buf[this.off++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    this.grow(4);
    this.buf[this.off++] = (v >>> 24) & 0xff;
    this.buf[this.off++] = (v >>> 16) & 0xff;
    this.buf[this.off++] = (v >>> 8) & 0xff;
    this.buf[this.off++] = v & 0xff;
    return this;
  }

  u64(v: bigint): this {
    this.grow(8);
    for (let i = 7; i >= 0; i--) this.buf[this.off++] = Number((v >> BigInt(i * 8)) & 0xffn);
    return this;
  }

  bytes(b: Uint8Array): this {
    this.grow(b.length);
    this.buf.set(b, this.off);
    this.off += b.length;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.off);
  }
}
