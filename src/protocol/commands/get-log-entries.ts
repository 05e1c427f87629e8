/**
 * Get Log Entries, command 0x4D. https://developers.yubico.com/YubiHSM2/Commands/Get_Log_Entries.html
 * In a session; session capability get-log-entries. Request: empty.
 * Response: unlogged boots(u16) ‖ unlogged authentications(u16) ‖ n(1) ‖ n × 32-byte entries (../log-entry.ts).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { encodeLogEntry, LOG_ENTRY_LENGTH, readLogEntry, type LogEntry } from '../log-entry.js';
import { decodeEmpty, encodeEmpty, wrongLength } from './shared.js';

export interface LogEntries {
  unloggedBoots: number;
  unloggedAuthentications: number;
  entries: LogEntry[];
}

export const getLogEntries = defineCommand<void, LogEntries>({
  code: Command.GET_LOG_ENTRIES,
  name: 'Get Log Entries',
  context: 'session',
  encodeRequest: encodeEmpty,
  decodeRequest: (p) => decodeEmpty(p, 'GetLogEntries request'),
  encodeResponse(l) {
    const w = new Writer(5 + LOG_ENTRY_LENGTH * l.entries.length);
    w.u16(l.unloggedBoots).u16(l.unloggedAuthentications).u8(l.entries.length);
    for (const e of l.entries) w.bytes(encodeLogEntry(e));
    return w.finish();
  },
  decodeResponse(payload) {
    const r = new Reader(payload, 'GetLogEntries response');
    const unloggedBoots = r.u16('unlogged boots');
    const unloggedAuthentications = r.u16('unlogged authentications');
    const n = r.u8('entry count');
    if (r.remaining !== n * LOG_ENTRY_LENGTH) {
      throw wrongLength(
        'BAD_LOG_LENGTH',
        `GetLogEntries announces ${n} entries (${n * LOG_ENTRY_LENGTH} bytes) but ${r.remaining} bytes follow.`,
      );
    }
    const entries: LogEntry[] = [];
    for (let i = 0; i < n; i++) entries.push(readLogEntry(r));
    return { unloggedBoots, unloggedAuthentications, entries };
  },
});
