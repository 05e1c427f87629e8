/** Small codecs several command files share. */
import { ProtocolError } from '../../errors.js';
import { INVALID_DATA, Reader, WRONG_LENGTH, Writer } from '../bytes.js';
import { EMPTY } from '../command.js';
import { readNew, readNewD, type DecodedNewObject, type DecodedNewObjectDelegated } from '../new-object.js';

/** A ProtocolError the device would answer with WRONG_LENGTH (0x08). */
export function wrongLength(code: string, message: string): ProtocolError {
  return new ProtocolError(code, message, WRONG_LENGTH);
}

/** A ProtocolError the device would answer with INVALID_DATA (0x02). */
export function invalidData(code: string, message: string): ProtocolError {
  return new ProtocolError(code, message, INVALID_DATA);
}

/** A bare u16 object id, the response of every Put and Generate command. */
export function encodeId(id: number): Uint8Array {
  return new Writer(2).u16(id).finish();
}

export function decodeId(payload: Uint8Array): number {
  const r = new Reader(payload, 'object id');
  const id = r.u16('object id');
  r.end();
  return id;
}

/** type(1) ‖ id(2), the response of the import commands. */
export interface TypeAndId {
  type: number;
  id: number;
}

export function encodeTypeId(v: TypeAndId): Uint8Array {
  return new Writer(3).u8(v.type).u16(v.id).finish();
}

export function decodeTypeId(payload: Uint8Array): TypeAndId {
  const r = new Reader(payload, 'type and id');
  const v = { type: r.u8('type'), id: r.u16('id') };
  r.end();
  return v;
}

/** An empty payload (commands with no request or no response data). */
export function decodeEmpty(payload: Uint8Array, what: string): void {
  new Reader(payload, what).end();
}

export const encodeEmpty = (): Uint8Array => EMPTY;

/** The rest of a payload as a copy, at least `min` bytes long (WRONG_LENGTH otherwise). */
export function restAtLeast(r: Reader, min: number, field: string, what: string): Uint8Array {
  const rest = r.rest();
  if (rest.length < min) {
    throw wrongLength(
      'DATA_TOO_SHORT',
      `${what}: ${field} needs at least ${min} byte(s), got ${rest.length}; send the full ${field}.`,
    );
  }
  return own(rest);
}

/** A response (or request) that is raw bytes, at least `min` long. */
export function decodeBytesAtLeast(payload: Uint8Array, min: number, what: string): Uint8Array {
  return restAtLeast(new Reader(payload, what), min, 'data', what);
}

/**
 * A plain Uint8Array copy of `b`. Decoders return copies, never views into the payload, and always plain
 * Uint8Arrays even when handed a Buffer (whose slice() would be a view).
 */
export function own(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}

export const copyBytes = own;

/** A request that is one u16 object id (GetOpaque, GetTemplate, RandomizeOtpAead, ...). */
export function decodeIdRequest(payload: Uint8Array, what: string): number {
  return decodeId(payloadCheck(payload, 2, what));
}

function payloadCheck(payload: Uint8Array, n: number, what: string): Uint8Array {
  if (payload.length !== n) throw wrongLength('BAD_LENGTH', `${what} must be exactly ${n} byte(s), got ${payload.length}.`);
  return payload;
}

/** Exactly `n` bytes (WRONG_LENGTH otherwise). */
export function exactly(payload: Uint8Array, n: number, what: string): Uint8Array {
  return payloadCheck(payload, n, what);
}

/** key id(2) ‖ data(≥ min bytes): the request of most "use a key on data" commands. */
export interface KeyAndData {
  keyId: number;
  data: Uint8Array;
}

export function encodeKeyAndData(q: KeyAndData): Uint8Array {
  return new Writer(2 + q.data.length).u16(q.keyId).bytes(q.data).finish();
}

export function decodeKeyAndData(payload: Uint8Array, what: string, min = 1): KeyAndData {
  const r = new Reader(payload, what);
  const keyId = r.u16('key id');
  return { keyId, data: restAtLeast(r, min, 'data', what) };
}

/** OAEP hash selectors (PROTOCOL.md 5.8): rsa-oaep-sha1/256/384/512 → lHash length. */
const OAEP_LHASH_LENGTH: Record<number, number> = { 25: 20, 26: 32, 27: 48, 28: 64 };

/** The lHash length the OAEP algorithm byte implies; INVALID_DATA for any other byte. */
export function lHashLengthFor(oaepAlgorithm: number, what: string): number {
  const n = OAEP_LHASH_LENGTH[oaepAlgorithm];
  if (n === undefined) {
    throw invalidData(
      'BAD_OAEP_ALGORITHM',
      `${what}: OAEP algorithm ${oaepAlgorithm} is not one of 25-28 (rsa-oaep-sha1/256/384/512); pick one of those.`,
    );
  }
  return n;
}

/** Digest lengths of SHA-1/256/384/512. */
export const HASH_LENGTHS: readonly number[] = [20, 32, 48, 64];

/** readNew / readNewD with the label as a plain copy (see own()). */
export function readNewBlock(r: Reader): DecodedNewObject {
  const o = readNew(r);
  return { ...o, label: own(o.label) };
}

export function readNewDBlock(r: Reader): DecodedNewObjectDelegated {
  const o = readNewD(r);
  return { ...o, label: own(o.label) };
}
