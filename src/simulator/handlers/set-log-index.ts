/** Set Log Index 0x67: frees the audit entries up to and including `index`; session capability get-log-entries [I]. */
import { setLogIndex } from '../../protocol/commands/set-log-index.js';
import { requireSessionCapability } from '../access.js';
import { setLogIndex as freeLogEntries } from '../audit-log.js';
import { defineHandler, sessionAuth } from '../handler.js';

export const setLogIndexHandler = defineHandler(setLogIndex, (ctx, index) => {
  requireSessionCapability(sessionAuth(ctx), 'get-log-entries');
  freeLogEntries(ctx.contents.log, index);
  ctx.changed();
});
