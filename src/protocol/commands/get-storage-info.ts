/**
 * Get Storage Info, command 0x41. https://developers.yubico.com/YubiHSM2/Commands/Get_Storage_Info.html
 * In a session; no capability. Request: empty.
 * Response (L = 10): total records(2) ‖ free records(2) ‖ total pages(2) ‖ free pages(2) ‖ page size(2).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeEmpty, encodeEmpty } from './shared.js';

export interface StorageInfo {
  totalRecords: number;
  freeRecords: number;
  totalPages: number;
  freePages: number;
  pageSize: number;
}

export const getStorageInfo = defineCommand<void, StorageInfo>({
  code: Command.GET_STORAGE_INFO,
  name: 'Get Storage Info',
  context: 'session',
  encodeRequest: encodeEmpty,
  decodeRequest: (p) => decodeEmpty(p, 'GetStorageInfo request'),
  encodeResponse: (s) =>
    new Writer(10).u16(s.totalRecords).u16(s.freeRecords).u16(s.totalPages).u16(s.freePages).u16(s.pageSize).finish(),
  decodeResponse(payload) {
    const r = new Reader(payload, 'GetStorageInfo response');
    const s: StorageInfo = {
      totalRecords: r.u16('total records'),
      freeRecords: r.u16('free records'),
      totalPages: r.u16('total pages'),
      freePages: r.u16('free pages'),
      pageSize: r.u16('page size'),
    };
    r.end();
    return s;
  },
});
