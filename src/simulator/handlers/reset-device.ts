/**
 * Reset Device 0x08: session capability reset-device. The answer goes out first, then the device wipes every
 * object, closes every session and restores the factory state of PROTOCOL.md 4.7 (reset and boot log markers).
 */
import { resetDevice } from '../../protocol/commands/reset-device.js';
import { requireSessionCapability } from '../access.js';
import { defineHandler, sessionAuth } from '../handler.js';

export const resetDeviceHandler = defineHandler(resetDevice, (ctx) => {
  requireSessionCapability(sessionAuth(ctx), 'reset-device');
  ctx.device.resetDevice();
});
