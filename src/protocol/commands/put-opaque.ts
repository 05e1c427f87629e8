/**
 * Put Opaque, command 0x42. https://developers.yubico.com/YubiHSM2/Commands/Put_Opaque.html
 * In a session; session capability put-opaque.
 * Request: NEW(53: id, label, domains, capabilities, algorithm 30 opaque-data or 31 X.509 certificate) ‖ data
 * (at least 1 byte).
 * Response: id(2).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNew, type DecodedNewObject, type NewObject } from '../new-object.js';
import { decodeId, encodeId, restAtLeast, readNewBlock } from './shared.js';

export interface PutOpaqueRequest extends NewObject {
  data: Uint8Array;
}

const WHAT = 'PutOpaque request';

export const putOpaque = defineCommand<PutOpaqueRequest, number>({
  code: Command.PUT_OPAQUE,
  name: 'Put Opaque',
  context: 'session',
  encodeRequest: (q) => writeNew(new Writer(53 + q.data.length), q).bytes(q.data).finish(),
  decodeRequest(payload): DecodedNewObject & PutOpaqueRequest {
    const r = new Reader(payload, WHAT);
    const o = readNewBlock(r);
    return { ...o, data: restAtLeast(r, 1, 'data', WHAT) };
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
