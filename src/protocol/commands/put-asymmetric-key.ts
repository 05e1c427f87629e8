/**
 * Put Asymmetric Key, command 0x45. https://developers.yubico.com/YubiHSM2/Commands/Put_Asymmetric_Key.html
 * In a session; session capability put-asymmetric-key. Request: NEW(53) ‖ key body. Response: id(2).
 * Body (PROTOCOL.md 5.4): RSA p ‖ q (k/2 each), EC private scalar (f bytes), Ed25519 32-byte seed. The body is
 * kept as raw bytes: the device checks its size against the algorithm.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNew, type DecodedNewObject, type NewObject } from '../new-object.js';
import { decodeId, encodeId, restAtLeast, readNewBlock } from './shared.js';

export interface PutAsymmetricKeyRequest extends NewObject {
  key: Uint8Array;
}

export const putAsymmetricKey = defineCommand<PutAsymmetricKeyRequest, number>({
  code: Command.PUT_ASYMMETRIC_KEY,
  name: 'Put Asymmetric Key',
  context: 'session',
  encodeRequest: (q) => writeNew(new Writer(53 + q.key.length), q).bytes(q.key).finish(),
  decodeRequest(payload): DecodedNewObject & PutAsymmetricKeyRequest {
    const r = new Reader(payload, 'PutAsymmetricKey request');
    const o = readNewBlock(r);
    return { ...o, key: restAtLeast(r, 1, 'key', 'PutAsymmetricKey request') };
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
