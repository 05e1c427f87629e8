/**
 * Change Authentication Key, command 0x6C.
 * https://developers.yubico.com/YubiHSM2/Commands/Change_Authentication_Key.html
 * In a session; session capability change-authentication-key, and the id must be the session's own key.
 * Request: id(2) ‖ algorithm(1: 38 or 49) ‖ key material (32 bytes K-ENC ‖ K-MAC, or 64 bytes X ‖ Y).
 * Response: id(2). The key's metadata stays unchanged.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { readAuthKeyMaterial } from './auth-key-material.js';
import { decodeId, encodeId } from './shared.js';

export interface ChangeAuthenticationKeyRequest {
  keyId: number;
  algorithm: number;
  key: Uint8Array;
}

export const changeAuthenticationKey = defineCommand<ChangeAuthenticationKeyRequest, number>({
  code: Command.CHANGE_AUTHENTICATION_KEY,
  name: 'Change Authentication Key',
  context: 'session',
  encodeRequest: (q) => new Writer(3 + q.key.length).u16(q.keyId).u8(q.algorithm).bytes(q.key).finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, 'ChangeAuthenticationKey request');
    const keyId = r.u16('key id');
    const algorithm = r.u8('algorithm');
    return { keyId, algorithm, key: readAuthKeyMaterial(r, algorithm, 'ChangeAuthenticationKey request') };
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
