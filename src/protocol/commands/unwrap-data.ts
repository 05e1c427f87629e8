/**
 * Unwrap Data, command 0x69. https://developers.yubico.com/YubiHSM2/Commands/Unwrap_Data.html
 * In a session; unwrap-data on the session and the AES wrap key.
 * Request: wrap key id(2) ‖ nonce(13) ‖ ciphertext ‖ tag(16). Response: the data (the leading 0x00 stripped).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { MIN_CCM_WRAPPED_LENGTH } from './ccm-wrapped.js';
import { copyBytes, restAtLeast } from './shared.js';

export interface UnwrapDataRequest {
  keyId: number;
  wrapped: Uint8Array;
}

export const unwrapData = defineCommand<UnwrapDataRequest, Uint8Array>({
  code: Command.UNWRAP_DATA,
  name: 'Unwrap Data',
  context: 'session',
  encodeRequest: (q) => new Writer(2 + q.wrapped.length).u16(q.keyId).bytes(q.wrapped).finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, 'UnwrapData request');
    const keyId = r.u16('key id');
    return { keyId, wrapped: restAtLeast(r, MIN_CCM_WRAPPED_LENGTH, 'wrapped data', 'UnwrapData request') };
  },
  encodeResponse: copyBytes,
  decodeResponse: copyBytes,
});
