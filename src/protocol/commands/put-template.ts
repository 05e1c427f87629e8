/**
 * Put Template, command 0x5E. https://developers.yubico.com/YubiHSM2/Commands/Put_Template.html
 * In a session; session capability put-template.
 * Request: NEW(53: id, label, domains, capabilities, algorithm 36 template-ssh) ‖ template data (at least 1 byte).
 * Response: id(2).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNew, type DecodedNewObject, type NewObject } from '../new-object.js';
import { decodeId, encodeId, restAtLeast, readNewBlock } from './shared.js';

export interface PutTemplateRequest extends NewObject {
  data: Uint8Array;
}

const WHAT = 'PutTemplate request';

export const putTemplate = defineCommand<PutTemplateRequest, number>({
  code: Command.PUT_TEMPLATE,
  name: 'Put Template',
  context: 'session',
  encodeRequest: (q) => writeNew(new Writer(53 + q.data.length), q).bytes(q.data).finish(),
  decodeRequest(payload): DecodedNewObject & PutTemplateRequest {
    const r = new Reader(payload, WHAT);
    const o = readNewBlock(r);
    return { ...o, data: restAtLeast(r, 1, 'data', WHAT) };
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
