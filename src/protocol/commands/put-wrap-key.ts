/**
 * Put Wrap Key, command 0x4C. https://developers.yubico.com/YubiHSM2/Commands/Put_Wrap_Key.html
 * In a session; session capability put-wrap-key. Request: NEWD(61) ‖ key — AES 16/24/32 bytes, or (firmware
 * 2.4+, algorithms 9/10/11) RSA p ‖ q (k/2 each). Kept raw: the device checks the size. Response: id(2).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNewD, type DecodedNewObjectDelegated, type NewObjectDelegated } from '../new-object.js';
import { decodeId, encodeId, restAtLeast, readNewDBlock } from './shared.js';

export interface PutWrapKeyRequest extends NewObjectDelegated {
  key: Uint8Array;
}

export const putWrapKey = defineCommand<PutWrapKeyRequest, number>({
  code: Command.PUT_WRAP_KEY,
  name: 'Put Wrap Key',
  context: 'session',
  encodeRequest: (q) => writeNewD(new Writer(61 + q.key.length), q).bytes(q.key).finish(),
  decodeRequest(payload): DecodedNewObjectDelegated & PutWrapKeyRequest {
    const r = new Reader(payload, 'PutWrapKey request');
    const o = readNewDBlock(r);
    return { ...o, key: restAtLeast(r, 1, 'key', 'PutWrapKey request') };
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
