/** Get Log Entries 0x4D: the stored audit entries and the unlogged counters; session capability get-log-entries. */
import { getLogEntries } from '../../protocol/commands/get-log-entries.js';
import { requireSessionCapability } from '../access.js';
import { logEntries } from '../audit-log.js';
import { defineHandler, sessionAuth } from '../handler.js';

export const getLogEntriesHandler = defineHandler(getLogEntries, (ctx) => {
  requireSessionCapability(sessionAuth(ctx), 'get-log-entries');
  const log = ctx.contents.log;
  return { unloggedBoots: log.unloggedBoots, unloggedAuthentications: log.unloggedAuthentications, entries: logEntries(log) };
});
