/**
 * Import RSA Wrapped (python IMPORT_WRAPPED_RSA), command 0x77, firmware 2.4+.
 * https://docs.yubico.com/hardware/yubihsm-2/hsm-2-user-guide/hsm2-cmd-reference.html#import-rsa-wrapped-command
 * In a session; import-wrapped on the session and the RSA wrap key (type 4).
 * Request: wrap id(2) ‖ OAEP(1) ‖ MGF1(1) ‖ blob ‖ lHash; |lHash| follows from the OAEP byte, the blob is the
 * L − 4 − |lHash| bytes in between (at least 1). Response: type(1) ‖ id(2) of the restored object.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { readBlobAndLHash } from './rsa-wrap-fields.js';
import { decodeTypeId, encodeTypeId, type TypeAndId } from './shared.js';

export interface ImportRsaWrappedRequest {
  wrapKeyId: number;
  oaepAlgorithm: number;
  mgf1Algorithm: number;
  blob: Uint8Array;
  lHash: Uint8Array;
}

const WHAT = 'ImportRsaWrapped request';

export const importRsaWrapped = defineCommand<ImportRsaWrappedRequest, TypeAndId>({
  code: Command.IMPORT_RSA_WRAPPED,
  name: 'Import RSA Wrapped',
  context: 'session',
  encodeRequest: (q) =>
    new Writer(4 + q.blob.length + q.lHash.length)
      .u16(q.wrapKeyId).u8(q.oaepAlgorithm).u8(q.mgf1Algorithm).bytes(q.blob).bytes(q.lHash)
      .finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, WHAT);
    const wrapKeyId = r.u16('wrap key id');
    const oaepAlgorithm = r.u8('OAEP algorithm');
    const mgf1Algorithm = r.u8('MGF1 algorithm');
    return { wrapKeyId, oaepAlgorithm, mgf1Algorithm, ...readBlobAndLHash(r, oaepAlgorithm, 4, WHAT) };
  },
  encodeResponse: encodeTypeId,
  decodeResponse: decodeTypeId,
});
