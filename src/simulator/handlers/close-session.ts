/** Close Session 0x40: answers inside the session, then frees the slot. PROTOCOL.md 5.1. */
import { closeSession } from '../../protocol/commands/close-session.js';
import { defineHandler, sessionAuth } from '../handler.js';

export const closeSessionHandler = defineHandler(closeSession, (ctx) => {
  sessionAuth(ctx);
  ctx.device.closeCurrentSession();
});
