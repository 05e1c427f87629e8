/**
 * Generate Symmetric Key, command 0x6E. https://developers.yubico.com/YubiHSM2/Commands/Generate_Symmetric_Key.html
 * In a session (firmware 2.3.1+); session capability generate-symmetric-key.
 * Request: NEW(53: id, label, domains, capabilities, algorithm 50/51/52).
 * Response: id(2). The new object's origin is 0x01 (generated).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNew, type NewObject } from '../new-object.js';
import { decodeId, encodeId, readNewBlock } from './shared.js';

export const generateSymmetricKey = defineCommand<NewObject, number>({
  code: Command.GENERATE_SYMMETRIC_KEY,
  name: 'Generate Symmetric Key',
  context: 'session',
  encodeRequest: (q) => writeNew(new Writer(53), q).finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, 'GenerateSymmetricKey request');
    const q = readNewBlock(r);
    r.end();
    return q;
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
