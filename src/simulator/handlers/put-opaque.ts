/** Put Opaque 0x42: session capability put-opaque; opaque data (30) or an X.509 certificate (31). Origin 0x02. */
import { putOpaque } from '../../protocol/commands/put-opaque.js';
import { ObjectType } from '../../protocol/object-types.js';
import { precheckCreate, storeNew } from '../create.js';
import { defineHandler } from '../handler.js';
import { Origin } from '../state.js';

export const putOpaqueHandler = defineHandler(putOpaque, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.OPAQUE, q, 'put-opaque');
  return storeNew(ctx, ObjectType.OPAQUE, id, q, q.data.slice(), Origin.IMPORTED).id;
});
