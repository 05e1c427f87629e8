/**
 * Reset Device, command 0x08. https://developers.yubico.com/YubiHSM2/Commands/Reset_Device.html
 * In a session; session capability reset-device. Request: empty. Response: empty. The device then wipes
 * every object, restores the factory state (PROTOCOL.md 4.7) and reboots, so the reply may never arrive.
 */
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeEmpty, encodeEmpty } from './shared.js';

export const resetDevice = defineCommand<void, void>({
  code: Command.RESET_DEVICE,
  name: 'Reset Device',
  context: 'session',
  encodeRequest: encodeEmpty,
  decodeRequest: (p) => decodeEmpty(p, 'ResetDevice request'),
  encodeResponse: encodeEmpty,
  decodeResponse: (p) => decodeEmpty(p, 'ResetDevice response'),
});
