/**
 * Generate Wrap Key, command 0x5B. https://developers.yubico.com/YubiHSM2/Commands/Generate_Wrap_Key.html
 * In a session; session capability generate-wrap-key. Request: NEWD(61) with algorithm 29/41/42 (AES-CCM),
 * or 9/10/11 (RSA import key, firmware 2.4+). Response: id(2).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNewD, type NewObjectDelegated } from '../new-object.js';
import { decodeId, encodeId, readNewDBlock } from './shared.js';

export const generateWrapKey = defineCommand<NewObjectDelegated, number>({
  code: Command.GENERATE_WRAP_KEY,
  name: 'Generate Wrap Key',
  context: 'session',
  encodeRequest: (q) => writeNewD(new Writer(61), q).finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, 'GenerateWrapKey request');
    const q = readNewDBlock(r);
    r.end();
    return q;
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
