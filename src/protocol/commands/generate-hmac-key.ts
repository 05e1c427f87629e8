/**
 * Generate HMAC Key, command 0x5A. https://developers.yubico.com/YubiHSM2/Commands/Generate_Hmac_Key.html
 * In a session; session capability generate-hmac-key. Request: NEW(53: id, label, domains, capabilities, algorithm 19-22).
 * Response: id(2). The new object's origin is 0x01 (generated).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNew, type NewObject } from '../new-object.js';
import { decodeId, encodeId, readNewBlock } from './shared.js';

export const generateHmacKey = defineCommand<NewObject, number>({
  code: Command.GENERATE_HMAC_KEY,
  name: 'Generate HMAC Key',
  context: 'session',
  encodeRequest: (q) => writeNew(new Writer(53), q).finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, 'GenerateHmacKey request');
    const q = readNewBlock(r);
    r.end();
    return q;
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
