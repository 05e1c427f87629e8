/**
 * Blink Device, command 0x6B. https://developers.yubico.com/YubiHSM2/Commands/Blink_Device.html
 * In a session; no capability. Request (L = 1): seconds(1). Response: empty.
 */
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeEmpty, encodeEmpty, exactly } from './shared.js';

export const blinkDevice = defineCommand<number, void>({
  code: Command.BLINK_DEVICE,
  name: 'Blink Device',
  context: 'session',
  encodeRequest: (seconds) => Uint8Array.of(seconds & 0xff),
  decodeRequest: (p) => exactly(p, 1, 'BlinkDevice request')[0],
  encodeResponse: encodeEmpty,
  decodeResponse: (p) => decodeEmpty(p, 'BlinkDevice response'),
});
