/**
 * Fields shared by the firmware 2.4 RSA-wrap commands (PROTOCOL.md 5.8):
 * the export request of 0x74 GetRsaWrappedKey and 0x76 ExportRsaWrapped (identical layouts)
 *   public wrap key id(2) ‖ type(1) ‖ id(2) ‖ AES algorithm(1: 50-52) ‖ OAEP algorithm(1: 25-28) ‖
 *   MGF1 algorithm(1: 32-35) ‖ lHash
 * where |lHash| is implied by the OAEP algorithm (20/32/48/64), so L = 8 + |lHash| exactly;
 * and the tail of the import requests of 0x75 PutRsaWrappedKey and 0x77 ImportRsaWrapped: blob ‖ lHash.
 * The AES and MGF1 selectors are carried as sent; the device checks them.
 */
import { Reader, Writer } from '../bytes.js';
import { decodeBytesAtLeast, lHashLengthFor, wrongLength, own } from './shared.js';

export interface RsaWrapExportRequest {
  /** Public wrap key (type 9). */
  wrapKeyId: number;
  type: number;
  id: number;
  aesAlgorithm: number;
  oaepAlgorithm: number;
  mgf1Algorithm: number;
  /** OAEP label hash; the label itself is never sent. */
  lHash: Uint8Array;
}

export function encodeRsaWrapExport(q: RsaWrapExportRequest): Uint8Array {
  return new Writer(8 + q.lHash.length)
    .u16(q.wrapKeyId).u8(q.type).u16(q.id).u8(q.aesAlgorithm).u8(q.oaepAlgorithm).u8(q.mgf1Algorithm)
    .bytes(q.lHash)
    .finish();
}

/** Reads the lHash whose length the OAEP algorithm implies; it must be all that remains. */
export function readLHash(r: Reader, oaepAlgorithm: number, what: string): Uint8Array {
  const n = lHashLengthFor(oaepAlgorithm, what);
  if (r.remaining !== n) {
    throw wrongLength(
      'BAD_LHASH_LENGTH',
      `${what}: OAEP algorithm ${oaepAlgorithm} needs a ${n}-byte lHash, but ${r.remaining} byte(s) remain.`,
    );
  }
  return own(r.bytesN(n, 'lHash'));
}

export function decodeRsaWrapExport(payload: Uint8Array, what: string): RsaWrapExportRequest {
  const r = new Reader(payload, what);
  const wrapKeyId = r.u16('wrap key id');
  const type = r.u8('type');
  const id = r.u16('id');
  const aesAlgorithm = r.u8('AES algorithm');
  const oaepAlgorithm = r.u8('OAEP algorithm');
  const mgf1Algorithm = r.u8('MGF1 algorithm');
  return { wrapKeyId, type, id, aesAlgorithm, oaepAlgorithm, mgf1Algorithm, lHash: readLHash(r, oaepAlgorithm, what) };
}

/**
 * The tail of an import request after its `fixed` leading bytes: a non-empty blob followed by the lHash whose length
 * the OAEP algorithm implies.
 */
export function readBlobAndLHash(
  r: Reader,
  oaepAlgorithm: number,
  fixed: number,
  what: string,
): { blob: Uint8Array; lHash: Uint8Array } {
  const h = lHashLengthFor(oaepAlgorithm, what);
  if (r.remaining < h + 1) {
    throw wrongLength(
      'BAD_RSA_WRAPPED_LENGTH',
      `${what}: after the ${fixed} fixed bytes come the blob and a ${h}-byte lHash, but only ${r.remaining} byte(s) remain.`,
    );
  }
  const blob = own(r.bytesN(r.remaining - h, 'blob'));
  return { blob, lHash: own(r.bytesN(h, 'lHash')) };
}

/** The RSA-wrapped blob: RSA-OAEP part (k bytes) ‖ AES-KWP part (PROTOCOL.md 6.1). */
export function decodeRsaWrappedBlob(payload: Uint8Array, what: string): Uint8Array {
  return decodeBytesAtLeast(payload, 1, what);
}
