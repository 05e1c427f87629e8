/** Get Storage Info 0x41: 256 records, 1024 pages of 126 bytes and what is free. No capability. PROTOCOL.md 5.2. */
import { getStorageInfo } from '../../protocol/commands/get-storage-info.js';
import { defineHandler, sessionAuth } from '../handler.js';
import { objectLength } from '../objects.js';
import { storageInfo } from '../store.js';

export const getStorageInfoHandler = defineHandler(getStorageInfo, (ctx) => {
  sessionAuth(ctx);
  return storageInfo(ctx.contents, objectLength);
});
