/**
 * Delete Object 0x58: session capability delete-<type> (PROTOCOL.md 4.4 rule 5), then the object must be
 * visible. Its sequence counter is kept, so a re-created object reads the next sequence number.
 */
import { deleteObject } from '../../protocol/commands/delete-object.js';
import { findVisible, requireDelete } from '../access.js';
import { defineHandler, sessionAuth } from '../handler.js';
import { removeObject } from '../store.js';

export const deleteObjectHandler = defineHandler(deleteObject, (ctx, q) => {
  const auth = sessionAuth(ctx);
  requireDelete(auth, q.type);
  const o = findVisible(ctx.contents, auth, q.type, q.id);
  ctx.audit.target = o.id;
  removeObject(ctx.contents, o);
  ctx.changed();
});
