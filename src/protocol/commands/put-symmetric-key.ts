/**
 * Put Symmetric Key, command 0x6D. https://developers.yubico.com/YubiHSM2/Commands/Put_Symmetric_Key.html
 * In a session; session capability put-symmetric-key.
 * Request: NEW(53: id, label, domains, capabilities, algorithm 50/51/52) ‖ AES key (16/24/32 bytes; kept raw, the
 * device checks the size against the algorithm).
 * Response: id(2). Firmware 2.3.1+.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNew, type DecodedNewObject, type NewObject } from '../new-object.js';
import { decodeId, encodeId, restAtLeast, readNewBlock } from './shared.js';

export interface PutSymmetricKeyRequest extends NewObject {
  key: Uint8Array;
}

const WHAT = 'PutSymmetricKey request';

export const putSymmetricKey = defineCommand<PutSymmetricKeyRequest, number>({
  code: Command.PUT_SYMMETRIC_KEY,
  name: 'Put Symmetric Key',
  context: 'session',
  encodeRequest: (q) => writeNew(new Writer(53 + q.key.length), q).bytes(q.key).finish(),
  decodeRequest(payload): DecodedNewObject & PutSymmetricKeyRequest {
    const r = new Reader(payload, WHAT);
    const o = readNewBlock(r);
    return { ...o, key: restAtLeast(r, 1, 'key', WHAT) };
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
