/** Put Template 0x5E: session capability put-template; an SSH template (36), stored as given. Origin 0x02. */
import { putTemplate } from '../../protocol/commands/put-template.js';
import { ObjectType } from '../../protocol/object-types.js';
import { precheckCreate, storeNew } from '../create.js';
import { defineHandler } from '../handler.js';
import { Origin } from '../state.js';

export const putTemplateHandler = defineHandler(putTemplate, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.TEMPLATE, q, 'put-template');
  return storeNew(ctx, ObjectType.TEMPLATE, id, q, q.data.slice(), Origin.IMPORTED).id;
});
