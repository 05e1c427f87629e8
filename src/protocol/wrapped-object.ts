/**
 * Plaintext of an AES-CCM wrapped object (ExportWrapped 0x4A / ImportWrapped 0x4B), PROTOCOL.md 5.5: a 59-byte
 * header followed by the object body. Layout from Yubico's offline `yubihsm-wrap` tool (yhwrap/main.c):
 *
 *   0 wrap-key algorithm (29/41/42)   1 capabilities (8)   9 object id (2)   11 body length (2)   13 domains (2)
 *   15 object type   16 object algorithm   17 sequence   18 origin   19 label (40)   59 body
 *
 * Pure codec. The bodies themselves (which need crypto to build) are in src/crypto/wrap-body.ts.
 */
import { ProtocolError } from '../errors.js';
import { concat, Reader, Writer, WRONG_LENGTH } from './bytes.js';
import { encodeLabel, LABEL_LENGTH } from './label.js';

export const WRAPPED_HEADER_LENGTH = 59;

/** AES-CCM wrap-key algorithms that may appear in byte 0: aes128/192/256-ccm-wrap. */
export const CCM_WRAP_ALGORITHMS = [29, 41, 42] as const;

export interface WrappedObjectHeader {
  /** Algorithm of the wrap key that wrapped the object (29, 41 or 42). */
  readonly wrapAlgorithm: number;
  readonly capabilities: bigint;
  readonly id: number;
  /** Length of the body that follows the header. */
  readonly bodyLength: number;
  readonly domains: number;
  readonly type: number;
  readonly algorithm: number;
  readonly sequence: number;
  readonly origin: number;
  /** The 40 raw label bytes. */
  readonly label: Uint8Array;
}

/** Header fields as a caller gives them: the body length is taken from the body, the label may be text. */
export type WrappedObjectFields = Omit<WrappedObjectHeader, 'bodyLength' | 'label'> & { readonly label: string | Uint8Array };

function bad(code: string, message: string, deviceCode = 0x02): ProtocolError {
  return new ProtocolError(code, `Wrapped object: ${message}`, deviceCode);
}

function checkFields(h: Omit<WrappedObjectHeader, 'label'>): void {
  if (!(CCM_WRAP_ALGORITHMS as readonly number[]).includes(h.wrapAlgorithm)) {
    throw bad('BAD_WRAP_ALGORITHM', `wrap-key algorithm ${h.wrapAlgorithm} is not aes128/192/256-ccm-wrap (29/41/42).`);
  }
  const u = (v: number, max: number) => Number.isInteger(v) && v >= 0 && v <= max;
  if (!u(h.id, 0xffff) || !u(h.bodyLength, 0xffff) || !u(h.domains, 0xffff)) throw bad('BAD_HEADER_FIELD', 'id, body length and domains are u16 values.');
  if (!u(h.type, 0xff) || !u(h.algorithm, 0xff) || !u(h.sequence, 0xff) || !u(h.origin, 0xff)) {
    throw bad('BAD_HEADER_FIELD', 'type, algorithm, sequence and origin are single bytes.');
  }
  if (h.capabilities < 0n || h.capabilities > 0xffffffffffffffffn) throw bad('BAD_HEADER_FIELD', 'capabilities are a u64.');
}

/** The 59-byte header. */
export function encodeWrappedHeader(h: WrappedObjectHeader): Uint8Array {
  checkFields(h);
  if (h.label.length !== LABEL_LENGTH) throw bad('BAD_HEADER_FIELD', `the label must be ${LABEL_LENGTH} raw bytes.`);
  return new Writer(WRAPPED_HEADER_LENGTH)
    .u8(h.wrapAlgorithm)
    .u64(h.capabilities)
    .u16(h.id)
    .u16(h.bodyLength)
    .u16(h.domains)
    .u8(h.type)
    .u8(h.algorithm)
    .u8(h.sequence)
    .u8(h.origin)
    .bytes(h.label)
    .finish();
}

/** Reads the header at the start of `bytes` (at least 59 bytes). */
export function decodeWrappedHeader(bytes: Uint8Array): WrappedObjectHeader {
  if (bytes.length < WRAPPED_HEADER_LENGTH) {
    throw bad('WRAPPED_OBJECT_TOO_SHORT', `${bytes.length} bytes cannot hold the 59-byte header.`, WRONG_LENGTH);
  }
  const r = new Reader(bytes, 'Wrapped object header');
  const h: WrappedObjectHeader = {
    wrapAlgorithm: r.u8('wrap algorithm'),
    capabilities: r.u64('capabilities'),
    id: r.u16('object id'),
    bodyLength: r.u16('body length'),
    domains: r.u16('domains'),
    type: r.u8('type'),
    algorithm: r.u8('algorithm'),
    sequence: r.u8('sequence'),
    origin: r.u8('origin'),
    label: r.bytesN(LABEL_LENGTH, 'label').slice(),
  };
  checkFields(h);
  return h;
}

/** Header ‖ body, with the body length filled in. */
export function encodeWrappedObject(fields: WrappedObjectFields, body: Uint8Array): Uint8Array {
  return concat(encodeWrappedHeader({ ...fields, label: encodeLabel(fields.label), bodyLength: body.length }), body);
}

/** Splits a decrypted wrapped object; the body length field must match the bytes after the header exactly. */
export function decodeWrappedObject(plaintext: Uint8Array): { header: WrappedObjectHeader; body: Uint8Array } {
  const header = decodeWrappedHeader(plaintext);
  const body = plaintext.subarray(WRAPPED_HEADER_LENGTH);
  if (body.length !== header.bodyLength) {
    throw bad('WRAPPED_BODY_LENGTH', `the header announces a ${header.bodyLength}-byte body but ${body.length} bytes follow.`, WRONG_LENGTH);
  }
  return { header, body: body.slice() };
}
