/**
 * Set Log Index, command 0x67. https://developers.yubico.com/YubiHSM2/Commands/Set_Log_Index.html
 * In a session; session capability get-log-entries. Request (L = 2): index(u16) — entries up to and including
 * it may be overwritten. Response: empty.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeEmpty, encodeEmpty, exactly } from './shared.js';

export const setLogIndex = defineCommand<number, void>({
  code: Command.SET_LOG_INDEX,
  name: 'Set Log Index',
  context: 'session',
  encodeRequest: (index) => new Writer(2).u16(index).finish(),
  decodeRequest: (p) => new Reader(exactly(p, 2, 'SetLogIndex request')).u16('index'),
  encodeResponse: encodeEmpty,
  decodeResponse: (p) => decodeEmpty(p, 'SetLogIndex response'),
});
