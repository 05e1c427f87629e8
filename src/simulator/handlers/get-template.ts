/** Get Template 0x5F: session capability get-template only (PROTOCOL.md 4.4 rule 4). */
import { getTemplate } from '../../protocol/commands/get-template.js';
import { ObjectType } from '../../protocol/object-types.js';
import { findVisible, requireSessionCapability } from '../access.js';
import { defineHandler, sessionAuth } from '../handler.js';

export const getTemplateHandler = defineHandler(getTemplate, (ctx, id) => {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, 'get-template');
  ctx.audit.target = id;
  return findVisible(ctx.contents, auth, ObjectType.TEMPLATE, id).material.slice();
});
