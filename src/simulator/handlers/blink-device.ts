/** Blink Device 0x6B: a software device has no LED; it answers and does nothing. No capability. */
import { blinkDevice } from '../../protocol/commands/blink-device.js';
import { defineHandler, sessionAuth } from '../handler.js';

export const blinkDeviceHandler = defineHandler(blinkDevice, (ctx) => {
  sessionAuth(ctx);
});
