/**
 * A strict DER (ITU-T X.690) reader: definite lengths only, lengths in their shortest form, INTEGERs and OID arcs in
 * their minimal form, BIT STRING padding bits zero, BOOLEAN 00/FF, NULL empty, the constructed bit matching the
 * universal type, and nothing after the top-level element. Only low tag numbers (0-30) are supported. Every
 * violation is a `DerError` with a stable code. The writer is in der.ts. Pure: no node:crypto here.
 */
import { contextTag, DerError, Tag, tagName } from './der.js';

/** One decoded element: identifier octet, content octets and the whole TLV. */
export interface DerElement {
  readonly tag: number;
  readonly content: Uint8Array;
  /** The complete encoding (identifier, length, content): what a signature covers. */
  readonly encoded: Uint8Array;
}

const MAX_LENGTH_OCTETS = 4;

/** Reads the element at `offset`; returns it and the offset after it. */
function readElement(bytes: Uint8Array, offset: number, what: string): { el: DerElement; next: number } {
  if (offset >= bytes.length) throw new DerError('DER_TRUNCATED', `${what}: expected an element but the input ended.`);
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) {
    throw new DerError('DER_UNSUPPORTED_TAG', `${what}: high tag numbers are not supported (identifier 0x${tag.toString(16)}).`);
  }
  if (tag === 0x00) throw new DerError('DER_BAD_TAG', `${what}: identifier octet 0x00 is not valid DER.`);
  let p = offset + 1;
  if (p >= bytes.length) throw new DerError('DER_TRUNCATED', `${what}: ${tagName(tag)} has no length octet.`);
  const first = bytes[p++];
  let length: number;
  if (first < 0x80) length = first;
  else if (first === 0x80) {
    throw new DerError('DER_INDEFINITE_LENGTH', `${what}: ${tagName(tag)} uses an indefinite length, which DER forbids.`);
  } else {
    const n = first & 0x7f;
    if (n > MAX_LENGTH_OCTETS) throw new DerError('DER_LENGTH_TOO_LARGE', `${what}: ${tagName(tag)} declares a length of ${n} octets.`);
    if (p + n > bytes.length) throw new DerError('DER_TRUNCATED', `${what}: ${tagName(tag)} length octets run past the input.`);
    if (bytes[p] === 0) throw new DerError('DER_NON_MINIMAL_LENGTH', `${what}: ${tagName(tag)} length has a leading zero octet.`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[p + i];
    p += n;
    if (length < 0x80) throw new DerError('DER_NON_MINIMAL_LENGTH', `${what}: ${tagName(tag)} length ${length} must use the short form.`);
  }
  if (p + length > bytes.length) {
    throw new DerError('DER_TRUNCATED', `${what}: ${tagName(tag)} declares ${length} content octet(s) but only ${bytes.length - p} remain.`);
  }
  const el = { tag, content: bytes.subarray(p, p + length), encoded: bytes.subarray(offset, p + length) };
  checkUniversal(el, what);
  return { el, next: p + length };
}

/** Universal-type rules that do not depend on the schema. */
function checkUniversal(el: DerElement, what: string): void {
  const { tag, content } = el;
  if ((tag & 0xc0) !== 0) return;
  const number = tag & 0x1f;
  const constructed = (tag & 0x20) !== 0;
  if ((number === 0x10 || number === 0x11) !== constructed) {
    throw new DerError('DER_BAD_TAG', `${what}: ${tagName(tag)} has the wrong constructed bit for its type.`);
  }
  switch (tag) {
    case Tag.BOOLEAN:
      if (content.length !== 1 || (content[0] !== 0x00 && content[0] !== 0xff)) {
        throw new DerError('DER_BAD_BOOLEAN', `${what}: a DER BOOLEAN is one octet, 00 or FF.`);
      }
      break;
    case Tag.INTEGER:
      if (content.length === 0) throw new DerError('DER_BAD_INTEGER', `${what}: INTEGER has no content octets.`);
      if (content.length > 1 && ((content[0] === 0x00 && !(content[1] & 0x80)) || (content[0] === 0xff && content[1] & 0x80))) {
        throw new DerError('DER_NON_MINIMAL_INTEGER', `${what}: INTEGER is not in its minimal encoding.`);
      }
      break;
    case Tag.BIT_STRING: {
      if (content.length === 0) throw new DerError('DER_BAD_BIT_STRING', `${what}: BIT STRING has no unused-bits octet.`);
      const unused = content[0];
      if (unused > 7 || (content.length === 1 && unused !== 0)) {
        throw new DerError('DER_BAD_BIT_STRING', `${what}: BIT STRING unused-bit count ${unused} is invalid.`);
      }
      if (unused && (content[content.length - 1] & ((1 << unused) - 1)) !== 0) {
        throw new DerError('DER_BAD_BIT_STRING', `${what}: BIT STRING padding bits are not zero.`);
      }
      break;
    }
    case Tag.NULL:
      if (content.length !== 0) throw new DerError('DER_BAD_NULL', `${what}: NULL must have no content.`);
      break;
    case Tag.OID:
      if (content.length === 0 || content[content.length - 1] & 0x80) {
        throw new DerError('DER_BAD_OID', `${what}: OBJECT IDENTIFIER is empty or its last arc is unterminated.`);
      }
      for (let i = 0; i < content.length; i++) {
        if (content[i] === 0x80 && (i === 0 || !(content[i - 1] & 0x80))) {
          throw new DerError('DER_BAD_OID', `${what}: OBJECT IDENTIFIER arc has a non-minimal encoding.`);
        }
      }
      break;
    default:
      break;
  }
}

/** Decodes exactly one element that spans the whole input. */
export function derDecode(bytes: Uint8Array, what = 'DER'): DerElement {
  const { el, next } = readElement(bytes, 0, what);
  if (next !== bytes.length) {
    throw new DerError('DER_TRAILING_BYTES', `${what}: ${bytes.length - next} byte(s) follow the ${tagName(el.tag)}.`);
  }
  return el;
}

/** Dotted form of OBJECT IDENTIFIER content octets. */
export function oidFromContent(content: Uint8Array): string {
  const values: bigint[] = [];
  let v = 0n;
  for (const b of content) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) {
      values.push(v);
      v = 0n;
    }
  }
  const first = values[0];
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...values.slice(1)].join('.');
}

/** Two's-complement value of INTEGER content octets. */
export function integerFromContent(content: Uint8Array): bigint {
  let v = BigInt('0x' + (Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('hex') || '00'));
  if (content[0] & 0x80) v -= 1n << BigInt(8 * content.length);
  return v;
}

function parseTime(el: DerElement, what: string): Date {
  const text = Buffer.from(el.content).toString('latin1');
  const m =
    el.tag === Tag.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new DerError('DER_BAD_TIME', `${what}: ${tagName(el.tag)} "${text.slice(0, 20)}" is not a DER time (${el.tag === Tag.UTC_TIME ? 'YYMMDDHHMMSSZ' : 'YYYYMMDDHHMMSSZ'}).`);
  let year = Number(m[1]);
  if (el.tag === Tag.UTC_TIME) year += year < 50 ? 2000 : 1900;
  const [mo, d, h, mi, s] = m.slice(2).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  if (
    date.getUTCFullYear() !== year || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d ||
    date.getUTCHours() !== h || date.getUTCMinutes() !== mi || date.getUTCSeconds() !== s
  ) {
    throw new DerError('DER_BAD_TIME', `${what}: ${tagName(el.tag)} "${text}" is not a valid calendar time.`);
  }
  return date;
}

/**
 * Walks the children of a constructed element (or a whole input) in order. Each typed read checks the tag and
 * throws `DER_UNEXPECTED_TAG` otherwise; `end()` checks that nothing is left.
 */
export class DerReader {
  private off = 0;
  constructor(
    private readonly bytes: Uint8Array,
    readonly what = 'DER',
  ) {}

  /** Reader over the children of a constructed element. */
  static of(el: DerElement, what: string): DerReader {
    if ((el.tag & 0x20) === 0) throw new DerError('DER_UNEXPECTED_TAG', `${what}: expected a constructed element, got ${tagName(el.tag)}.`);
    return new DerReader(el.content, what);
  }

  get done(): boolean {
    return this.off >= this.bytes.length;
  }

  /** Identifier octet of the next element, or undefined at the end. */
  peekTag(): number | undefined {
    return this.done ? undefined : this.bytes[this.off];
  }

  /** The next element, any tag. */
  next(field = 'element'): DerElement {
    const { el, next } = readElement(this.bytes, this.off, `${this.what}: ${field}`);
    this.off = next;
    return el;
  }

  /** The next element, which must carry `tag`. */
  expect(tag: number, field: string): DerElement {
    const t = this.peekTag();
    if (t === undefined) throw new DerError('DER_TRUNCATED', `${this.what}: ${field} (${tagName(tag)}) is missing.`);
    if (t !== tag) throw new DerError('DER_UNEXPECTED_TAG', `${this.what}: ${field} must be ${tagName(tag)}, got ${tagName(t)}.`);
    return this.next(field);
  }

  /** The next element if it carries `tag`, else undefined (nothing consumed). */
  optional(tag: number, field: string): DerElement | undefined {
    return this.peekTag() === tag ? this.next(field) : undefined;
  }

  sequence(field: string): DerReader {
    return new DerReader(this.expect(Tag.SEQUENCE, field).content, `${this.what}: ${field}`);
  }

  set(field: string): DerReader {
    return new DerReader(this.expect(Tag.SET, field).content, `${this.what}: ${field}`);
  }

  /** Children of an explicit [n] if present. */
  optionalExplicit(n: number, field: string): DerReader | undefined {
    const el = this.optional(contextTag(n, true), field);
    return el && new DerReader(el.content, `${this.what}: ${field}`);
  }

  integer(field: string): bigint {
    return integerFromContent(this.expect(Tag.INTEGER, field).content);
  }

  /** INTEGER that fits a JS number (e.g. a version). */
  smallInteger(field: string): number {
    const v = this.integer(field);
    if (v < BigInt(Number.MIN_SAFE_INTEGER) || v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new DerError('DER_INTEGER_RANGE', `${this.what}: ${field} is too large.`);
    }
    return Number(v);
  }

  /** Non-negative INTEGER as its big-endian magnitude without the sign octet. */
  unsignedInteger(field: string): Uint8Array {
    const c = this.expect(Tag.INTEGER, field).content;
    if (c[0] & 0x80) throw new DerError('DER_NEGATIVE_INTEGER', `${this.what}: ${field} must not be negative.`);
    return c[0] === 0 && c.length > 1 ? c.subarray(1) : c;
  }

  boolean(field: string): boolean {
    return this.expect(Tag.BOOLEAN, field).content[0] === 0xff;
  }

  octetString(field: string): Uint8Array {
    return this.expect(Tag.OCTET_STRING, field).content;
  }

  /** BIT STRING bytes and unused-bit count. */
  bitString(field: string): { bytes: Uint8Array; unusedBits: number } {
    const c = this.expect(Tag.BIT_STRING, field).content;
    return { bytes: c.subarray(1), unusedBits: c[0] };
  }

  /** BIT STRING that must be a whole number of octets (keys, signatures). */
  bitStringOctets(field: string): Uint8Array {
    const { bytes, unusedBits } = this.bitString(field);
    if (unusedBits !== 0) throw new DerError('DER_BAD_BIT_STRING', `${this.what}: ${field} must have no unused bits.`);
    return bytes;
  }

  null(field: string): void {
    this.expect(Tag.NULL, field);
  }

  oid(field: string): string {
    return oidFromContent(this.expect(Tag.OID, field).content);
  }

  /** UTF8String, PrintableString or IA5String as text. */
  string(field: string): string {
    const t = this.peekTag();
    if (t !== Tag.UTF8_STRING && t !== Tag.PRINTABLE_STRING && t !== Tag.IA5_STRING) {
      throw new DerError('DER_UNEXPECTED_TAG', `${this.what}: ${field} must be a string, got ${t === undefined ? 'nothing' : tagName(t)}.`);
    }
    const el = this.next(field);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(el.content);
    } catch {
      throw new DerError('DER_BAD_STRING', `${this.what}: ${field} is not valid UTF-8.`);
    }
  }

  /** UTCTime or GeneralizedTime. */
  time(field: string): Date {
    const t = this.peekTag();
    if (t !== Tag.UTC_TIME && t !== Tag.GENERALIZED_TIME) {
      throw new DerError('DER_UNEXPECTED_TAG', `${this.what}: ${field} must be a time, got ${t === undefined ? 'nothing' : tagName(t)}.`);
    }
    return parseTime(this.next(field), `${this.what}: ${field}`);
  }

  /** Nothing may follow. */
  end(): void {
    if (!this.done) {
      throw new DerError('DER_TRAILING_BYTES', `${this.what}: unexpected ${tagName(this.bytes[this.off])} after the last expected field.`);
    }
  }
}

/** Reader over the children of the single SEQUENCE that spans `bytes`. */
export function derSequenceReader(bytes: Uint8Array, what: string): DerReader {
  const el = derDecode(bytes, what);
  if (el.tag !== Tag.SEQUENCE) throw new DerError('DER_UNEXPECTED_TAG', `${what}: expected a SEQUENCE, got ${tagName(el.tag)}.`);
  return new DerReader(el.content, what);
}
