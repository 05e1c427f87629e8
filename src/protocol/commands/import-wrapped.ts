/**
 * Import Wrapped, command 0x4B. https://developers.yubico.com/YubiHSM2/Commands/Import_Wrapped.html
 * In a session; import-wrapped on the session and the AES wrap key.
 * Request: wrap key id(2) ‖ nonce(13) ‖ AES-CCM ciphertext ‖ tag(16) (the ExportWrapped output).
 * Response: type(1) ‖ id(2) of the restored object.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { MIN_CCM_WRAPPED_LENGTH } from './ccm-wrapped.js';
import { decodeTypeId, encodeTypeId, restAtLeast, type TypeAndId } from './shared.js';

export interface ImportWrappedRequest {
  wrapKeyId: number;
  /** nonce(13) ‖ ciphertext ‖ tag(16). */
  wrapped: Uint8Array;
}

export const importWrapped = defineCommand<ImportWrappedRequest, TypeAndId>({
  code: Command.IMPORT_WRAPPED,
  name: 'Import Wrapped',
  context: 'session',
  encodeRequest: (q) => new Writer(2 + q.wrapped.length).u16(q.wrapKeyId).bytes(q.wrapped).finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, 'ImportWrapped request');
    const wrapKeyId = r.u16('wrap key id');
    return { wrapKeyId, wrapped: restAtLeast(r, MIN_CCM_WRAPPED_LENGTH, 'wrapped object', 'ImportWrapped request') };
  },
  encodeResponse: encodeTypeId,
  decodeResponse: decodeTypeId,
});
