/**
 * A minimal DER (ITU-T X.690) writer, and what the writer and the strict reader (der-reader.ts) share: the error
 * class, the universal tags and tag names. Enough for PKCS#8 (RFC 5208/5958), SubjectPublicKeyInfo (RFC 5280 4.1),
 * ECDSA-Sig-Value (RFC 3279 2.2.3) and X.509 v3 certificates; PEM armour is in pem.ts. Only low tag numbers (0-30).
 * Pure: no node:crypto here.
 */
import { ProtocolError } from '../errors.js';
import { concat } from '../protocol/bytes.js';

/** Malformed or unexpected DER. `deviceCode` is INVALID_DATA (0x02), what a device answers for such bytes. */
export class DerError extends ProtocolError {
  constructor(code: string, message: string) {
    super(code, message, 0x02);
  }
}

/** Identifier octets of the universal types we use (constructed bit included for SEQUENCE/SET). */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const tagNames: Record<number, string> = {
  0x01: 'BOOLEAN', 0x02: 'INTEGER', 0x03: 'BIT STRING', 0x04: 'OCTET STRING', 0x05: 'NULL', 0x06: 'OBJECT IDENTIFIER',
  0x0c: 'UTF8String', 0x13: 'PrintableString', 0x16: 'IA5String', 0x17: 'UTCTime', 0x18: 'GeneralizedTime',
  0x30: 'SEQUENCE', 0x31: 'SET',
};

/** Human name of an identifier octet, e.g. `SEQUENCE`, `[1] (constructed)`. */
export function tagName(tag: number): string {
  if (tagNames[tag]) return tagNames[tag];
  const cls = tag & 0xc0;
  const constructed = (tag & 0x20) !== 0 ? ' (constructed)' : '';
  if (cls === 0x80) return `[${tag & 0x1f}]${constructed}`;
  return `tag 0x${tag.toString(16).padStart(2, '0')}`;
}

/** Identifier octet of a context-specific tag [n]; explicit tagging uses the constructed form. */
export function contextTag(n: number, constructed = true): number {
  if (!Number.isInteger(n) || n < 0 || n > 30) throw new RangeError(`Context tag number ${n} is outside 0..30.`);
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV: identifier octet, DER length, content. */
export function derTlv(tag: number, content: Uint8Array): Uint8Array {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff || (tag & 0x1f) === 0x1f) {
    throw new RangeError(`Identifier octet 0x${tag.toString(16)} is not a low-tag-number identifier.`);
  }
  return concat(Uint8Array.of(tag), encodeLength(content.length), content);
}

/** INTEGER from a (possibly negative) integer value, minimal two's complement. */
export function derInteger(value: bigint | number): Uint8Array {
  let v = BigInt(value);
  if (v >= 0n) {
    let h = v.toString(16);
    if (h.length % 2) h = '0' + h;
    let bytes = Buffer.from(h, 'hex');
    if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
    return derTlv(Tag.INTEGER, new Uint8Array(bytes));
  }
  // Negative: smallest n with -2^(8n-1) <= v.
  let n = 1;
  while (v < -(1n << BigInt(8 * n - 1))) n++;
  v += 1n << BigInt(8 * n);
  const h = v.toString(16).padStart(2 * n, '0');
  return derTlv(Tag.INTEGER, new Uint8Array(Buffer.from(h, 'hex')));
}

/** INTEGER from an unsigned big-endian magnitude (leading zeros stripped, a 0x00 added when the top bit is set). */
export function derUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.length === 0 ? Uint8Array.of(0) : magnitude.subarray(i);
  return derTlv(Tag.INTEGER, m[0] & 0x80 ? concat(Uint8Array.of(0), m) : m.slice());
}

export function derBoolean(value: boolean): Uint8Array {
  return derTlv(Tag.BOOLEAN, Uint8Array.of(value ? 0xff : 0x00));
}

export function derOctetString(content: Uint8Array): Uint8Array {
  return derTlv(Tag.OCTET_STRING, content);
}

/** BIT STRING; `unusedBits` low-order bits of the last byte must be zero (DER). */
export function derBitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) {
    throw new RangeError(`BIT STRING unused-bit count ${unusedBits} is invalid for ${bytes.length} byte(s).`);
  }
  if (unusedBits && (bytes[bytes.length - 1] & ((1 << unusedBits) - 1)) !== 0) {
    throw new RangeError('BIT STRING padding bits must be zero in DER.');
  }
  return derTlv(Tag.BIT_STRING, concat(Uint8Array.of(unusedBits), bytes));
}

export function derNull(): Uint8Array {
  return Uint8Array.of(0x05, 0x00);
}

/** Content octets of an OBJECT IDENTIFIER in dotted form. */
export function oidContent(oid: string): Uint8Array {
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(oid)) throw new RangeError(`"${oid}" is not a dotted object identifier.`);
  const arcs = oid.split('.').map((a) => BigInt(a));
  if (arcs[0] < 2n && arcs[1] > 39n) throw new RangeError(`Object identifier ${oid}: second arc must be below 40.`);
  const values = [arcs[0] * 40n + arcs[1], ...arcs.slice(2)];
  const out: number[] = [];
  for (const v of values) {
    const group: number[] = [Number(v & 0x7fn)];
    for (let r = v >> 7n; r > 0n; r >>= 7n) group.unshift(Number(r & 0x7fn) | 0x80);
    out.push(...group);
  }
  return Uint8Array.from(out);
}

export function derOid(oid: string): Uint8Array {
  return derTlv(Tag.OID, oidContent(oid));
}

export function derSequence(...children: Uint8Array[]): Uint8Array {
  return derTlv(Tag.SEQUENCE, concat(...children));
}

/** SET OF: DER orders the encodings as octet strings (X.690 11.6). */
export function derSetOf(...children: Uint8Array[]): Uint8Array {
  const sorted = [...children].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return derTlv(Tag.SET, concat(...sorted));
}

/** Explicit context tag [n] around a complete element. */
export function derExplicit(n: number, element: Uint8Array): Uint8Array {
  return derTlv(contextTag(n, true), element);
}

/** Implicit primitive context tag [n] with raw content octets. */
export function derImplicit(n: number, content: Uint8Array): Uint8Array {
  return derTlv(contextTag(n, false), content);
}

export function derUtf8String(text: string): Uint8Array {
  return derTlv(Tag.UTF8_STRING, new TextEncoder().encode(text));
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

export function derPrintableString(text: string): Uint8Array {
  if (!PRINTABLE.test(text)) throw new RangeError(`"${text}" has characters PrintableString cannot hold; use UTF8String.`);
  return derTlv(Tag.PRINTABLE_STRING, new TextEncoder().encode(text));
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function checkDate(d: Date): void {
  if (Number.isNaN(d.getTime())) throw new RangeError('Invalid date.');
  if (d.getUTCMilliseconds() !== 0) throw new RangeError('DER times here carry whole seconds; drop the milliseconds.');
}

/** UTCTime YYMMDDHHMMSSZ, years 1950-2049. */
export function derUtcTime(d: Date): Uint8Array {
  checkDate(d);
  const y = d.getUTCFullYear();
  if (y < 1950 || y > 2049) throw new RangeError(`UTCTime holds years 1950-2049, got ${y}.`);
  const s = `${two(y % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  return derTlv(Tag.UTC_TIME, new TextEncoder().encode(s));
}

/** GeneralizedTime YYYYMMDDHHMMSSZ (no fraction, as RFC 5280 4.1.2.5.2 requires). */
export function derGeneralizedTime(d: Date): Uint8Array {
  checkDate(d);
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) throw new RangeError(`GeneralizedTime holds years 0000-9999, got ${y}.`);
  const s = `${String(y).padStart(4, '0')}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  return derTlv(Tag.GENERALIZED_TIME, new TextEncoder().encode(s));
}

/** X.509 Time (RFC 5280 4.1.2.5): UTCTime through 2049, GeneralizedTime from 2050. */
export function derTime(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  return y >= 1950 && y <= 2049 ? derUtcTime(d) : derGeneralizedTime(d);
}
