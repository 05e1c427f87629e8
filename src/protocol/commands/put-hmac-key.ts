/**
 * Put HMAC Key, command 0x52. https://developers.yubico.com/YubiHSM2/Commands/Put_Hmac_Key.html
 * In a session; session capability put-mac-key.
 * Request: NEW(53: id, label, domains, capabilities, algorithm 19-22) ‖ key (1-128 bytes; at most 64 for
 * hmac-sha1/sha256, which the device checks against the algorithm). Response: id(2).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNew, type DecodedNewObject, type NewObject } from '../new-object.js';
import { decodeId, encodeId, restAtLeast, wrongLength, readNewBlock } from './shared.js';

export interface PutHmacKeyRequest extends NewObject {
  key: Uint8Array;
}

const WHAT = 'PutHmacKey request';
/** The largest HMAC block size (SHA-384/512). */
export const MAX_HMAC_KEY_LENGTH = 128;

export const putHmacKey = defineCommand<PutHmacKeyRequest, number>({
  code: Command.PUT_HMAC_KEY,
  name: 'Put HMAC Key',
  context: 'session',
  encodeRequest: (q) => writeNew(new Writer(53 + q.key.length), q).bytes(q.key).finish(),
  decodeRequest(payload): DecodedNewObject & PutHmacKeyRequest {
    const r = new Reader(payload, WHAT);
    const o = readNewBlock(r);
    const key = restAtLeast(r, 1, 'key', WHAT);
    if (key.length > MAX_HMAC_KEY_LENGTH) {
      throw wrongLength(
        'HMAC_KEY_TOO_LONG',
        `${WHAT}: the key is ${key.length} bytes; the most is 128 (hash longer keys first).`,
      );
    }
    return { ...o, key };
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
