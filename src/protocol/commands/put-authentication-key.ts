/**
 * Put Authentication Key, command 0x44. https://developers.yubico.com/YubiHSM2/Commands/Put_Authentication_Key.html
 * In a session; session capability put-authentication-key.
 * Request: NEWD(61: id, label, domains, capabilities, algorithm, delegated capabilities) ‖ key material —
 * algorithm 38: K-ENC(16) ‖ K-MAC(16); algorithm 49 (firmware 2.3+): P-256 public key X(32) ‖ Y(32).
 * Response: id(2).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNewD, type DecodedNewObjectDelegated, type NewObjectDelegated } from '../new-object.js';
import { readAuthKeyMaterial } from './auth-key-material.js';
import { decodeId, encodeId, readNewDBlock } from './shared.js';

export interface PutAuthenticationKeyRequest extends NewObjectDelegated {
  /** K-ENC ‖ K-MAC (32 bytes) or X ‖ Y (64 bytes). */
  key: Uint8Array;
}

export const putAuthenticationKey = defineCommand<PutAuthenticationKeyRequest, number>({
  code: Command.PUT_AUTHENTICATION_KEY,
  name: 'Put Authentication Key',
  context: 'session',
  encodeRequest: (q) => writeNewD(new Writer(125), q).bytes(q.key).finish(),
  decodeRequest(payload): DecodedNewObjectDelegated & PutAuthenticationKeyRequest {
    const r = new Reader(payload, 'PutAuthenticationKey request');
    const o = readNewDBlock(r);
    return { ...o, key: readAuthKeyMaterial(r, o.algorithm, 'PutAuthenticationKey request') };
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
