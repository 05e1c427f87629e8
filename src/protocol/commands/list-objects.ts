/**
 * List Objects, command 0x48. https://developers.yubico.com/YubiHSM2/Commands/List_Objects.html
 * In a session; no capability. Request: filter items (../list-filter.ts), empty = everything visible.
 * Response: n × [id(2) ‖ type(1) ‖ sequence(1)].
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeListFilter, encodeListFilter, type ListFilter } from '../list-filter.js';
import { wrongLength } from './shared.js';

export interface ListedObject {
  id: number;
  type: number;
  sequence: number;
}

export const listObjects = defineCommand<ListFilter, ListedObject[]>({
  code: Command.LIST_OBJECTS,
  name: 'List Objects',
  context: 'session',
  encodeRequest: encodeListFilter,
  decodeRequest: decodeListFilter,
  encodeResponse(list) {
    const w = new Writer(4 * list.length + 1);
    for (const o of list) w.u16(o.id).u8(o.type).u8(o.sequence);
    return w.finish();
  },
  decodeResponse(payload) {
    if (payload.length % 4 !== 0) {
      throw wrongLength(
        'BAD_OBJECT_LIST',
        `ListObjects response is ${payload.length} bytes, not a multiple of 4 (id, type, sequence).`,
      );
    }
    const r = new Reader(payload, 'ListObjects response');
    const out: ListedObject[] = [];
    while (r.remaining > 0) out.push({ id: r.u16('id'), type: r.u8('type'), sequence: r.u8('sequence') });
    return out;
  },
});
