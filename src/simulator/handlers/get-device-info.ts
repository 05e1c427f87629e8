/**
 * Get Device Info 0x06 (plain or in a session). Page 0: firmware 2.4.0, serial, log capacity and use, the
 * algorithm list 1..55; page 1 (firmware 2.4+): the part number. PROTOCOL.md 5.1.
 */
import { getDeviceInfo, type DeviceInfoResponse } from '../../protocol/commands/get-device-info.js';
import { defineHandler } from '../handler.js';
import { LOG_CAPACITY } from '../state.js';

export const SUPPORTED_ALGORITHMS: readonly number[] = Array.from({ length: 55 }, (_, i) => i + 1);

export const getDeviceInfoHandler = defineHandler(getDeviceInfo, (ctx, req): DeviceInfoResponse => {
  if (req.page === 1) return { page: 1, partNumber: ctx.device.partNumber };
  return {
    page: 0,
    version: ctx.device.firmware,
    serial: ctx.device.identity().serial,
    logTotal: LOG_CAPACITY,
    logUsed: ctx.contents.log.entries.length,
    algorithms: [...SUPPORTED_ALGORITHMS],
  };
});
