/**
 * Sign ECDSA, command 0x56. https://developers.yubico.com/YubiHSM2/Commands/Sign_Ecdsa.html
 * Request: key id(2) ‖ digest H (optionally zero-left-padded; libyubihsm allows 20/28/32/48/64/66 bytes).
 * Response: DER `SEQUENCE { r INTEGER, s INTEGER }`. Capability sign-ecdsa on the session and the key.
 */
import { ProtocolError } from '../../errors.js';
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { own } from './shared.js';

export interface SignEcdsaRequest {
  keyId: number;
  digest: Uint8Array;
}

export const signEcdsa = defineCommand<SignEcdsaRequest, Uint8Array>({
  code: Command.SIGN_ECDSA,
  name: 'Sign ECDSA',
  context: 'session',
  encodeRequest: (q) => new Writer(2 + q.digest.length).u16(q.keyId).bytes(q.digest).finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, 'SignEcdsa request');
    const keyId = r.u16('key id');
    const digest = own(r.rest());
    if (digest.length < 1) throw new ProtocolError('EMPTY_DIGEST', 'SignEcdsa needs a digest.', 0x08);
    return { keyId, digest };
  },
  encodeResponse: (sig) => own(sig),
  decodeResponse: (payload) => own(payload),
});
