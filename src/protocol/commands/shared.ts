/** Small codecs several command files share. */
import { Reader, Writer } from '../bytes.js';

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
export function encodeTypeId(v: { type: number; id: number }): Uint8Array {
  return new Writer(3).u8(v.type).u16(v.id).finish();
}

export function decodeTypeId(payload: Uint8Array): { type: number; id: number } {
  const r = new Reader(payload, 'type and id');
  const v = { type: r.u8('type'), id: r.u16('id') };
  r.end();
  return v;
}

/** An empty payload (commands with no request or no response data). */
export function decodeEmpty(payload: Uint8Array, what: string): void {
  new Reader(payload, what).end();
}
