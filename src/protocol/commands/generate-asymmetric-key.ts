/**
 * Generate Asymmetric Key, command 0x46. https://developers.yubico.com/YubiHSM2/Commands/Generate_Asymmetric_Key.html
 * Request: NEW (53 bytes: id, label, domains, capabilities, algorithm). Response: id(2).
 * Session capability generate-asymmetric-key; the new object's origin is 0x01 (generated).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNew, type DecodedNewObject, type NewObject } from '../new-object.js';
import { decodeId, encodeId, readNewBlock } from './shared.js';

export const generateAsymmetricKey = defineCommand<NewObject, number>({
  code: Command.GENERATE_ASYMMETRIC_KEY,
  name: 'Generate Asymmetric Key',
  context: 'session',
  encodeRequest: (q) => writeNew(new Writer(53), q).finish(),
  decodeRequest(payload): DecodedNewObject {
    const r = new Reader(payload, 'GenerateAsymmetricKey request');
    const q = readNewBlock(r);
    r.end();
    return q;
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
