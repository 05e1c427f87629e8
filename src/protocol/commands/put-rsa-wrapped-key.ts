/**
 * Put RSA Wrapped Key ("import RSA wrapped key"; python UNWRAP_KEY_RSA), command 0x75, firmware 2.4+.
 * https://docs.yubico.com/hardware/yubihsm-2/hsm-2-user-guide/hsm2-cmd-reference.html#import-rsa-wrapped-key-command
 * In a session; import-wrapped on the session and the RSA wrap key (type 4).
 * Request: wrap id(2) ‖ type(1) ‖ id(2) ‖ label(40) ‖ domains(2) ‖ capabilities(8) ‖ algorithm(1) ‖ OAEP(1) ‖
 * MGF1(1) ‖ blob ‖ lHash. No length is sent: |lHash| follows from the OAEP byte (20/32/48/64), so the blob is
 * the L − 58 − |lHash| bytes in between (at least 1; its first k bytes are the RSA part, k is the device's to
 * check). Response: type(1) ‖ id(2).
 */
import { Reader, Writer } from '../bytes.js';
import type { Capabilities } from '../capabilities.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { encodeLabel, LABEL_LENGTH } from '../label.js';
import { readBlobAndLHash } from './rsa-wrap-fields.js';
import { decodeTypeId, encodeTypeId, own, type TypeAndId } from './shared.js';

export interface PutRsaWrappedKeyRequest {
  wrapKeyId: number;
  type: number;
  id: number;
  /** String or bytes on encode; the raw 40 bytes on decode. */
  label: string | Uint8Array;
  domains: number;
  capabilities: Capabilities;
  algorithm: number;
  oaepAlgorithm: number;
  mgf1Algorithm: number;
  blob: Uint8Array;
  lHash: Uint8Array;
}

const FIXED = 58;
const WHAT = 'PutRsaWrappedKey request';

export const putRsaWrappedKey = defineCommand<PutRsaWrappedKeyRequest, TypeAndId>({
  code: Command.PUT_RSA_WRAPPED_KEY,
  name: 'Put RSA Wrapped Key',
  context: 'session',
  encodeRequest: (q) =>
    new Writer(FIXED + q.blob.length + q.lHash.length)
      .u16(q.wrapKeyId).u8(q.type).u16(q.id).bytes(encodeLabel(q.label)).u16(q.domains).u64(q.capabilities)
      .u8(q.algorithm).u8(q.oaepAlgorithm).u8(q.mgf1Algorithm).bytes(q.blob).bytes(q.lHash)
      .finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, WHAT);
    const wrapKeyId = r.u16('wrap key id');
    const type = r.u8('type');
    const id = r.u16('id');
    const label = own(r.bytesN(LABEL_LENGTH, 'label'));
    const domains = r.u16('domains');
    const capabilities = r.u64('capabilities');
    const algorithm = r.u8('algorithm');
    const oaepAlgorithm = r.u8('OAEP algorithm');
    const mgf1Algorithm = r.u8('MGF1 algorithm');
    const { blob, lHash } = readBlobAndLHash(r, oaepAlgorithm, FIXED, WHAT);
    return { wrapKeyId, type, id, label, domains, capabilities, algorithm, oaepAlgorithm, mgf1Algorithm, blob, lHash };
  },
  encodeResponse: encodeTypeId,
  decodeResponse: decodeTypeId,
});
