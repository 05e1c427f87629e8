/**
 * Delete Object, command 0x58. https://developers.yubico.com/YubiHSM2/Commands/Delete_Object.html
 * In a session; session capability delete-<type>. Request (L = 3): id(2) ‖ type(1). Response: empty.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import type { ObjectRef } from './get-object-info.js';
import { decodeEmpty, encodeEmpty, exactly } from './shared.js';

export const deleteObject = defineCommand<ObjectRef, void>({
  code: Command.DELETE_OBJECT,
  name: 'Delete Object',
  context: 'session',
  encodeRequest: (q) => new Writer(3).u16(q.id).u8(q.type).finish(),
  decodeRequest(payload) {
    const r = new Reader(exactly(payload, 3, 'DeleteObject request'), 'DeleteObject request');
    return { id: r.u16('object id'), type: r.u8('object type') };
  },
  encodeResponse: encodeEmpty,
  decodeResponse: (p) => decodeEmpty(p, 'DeleteObject response'),
});
