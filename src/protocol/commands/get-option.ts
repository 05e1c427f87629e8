/**
 * Get Option, command 0x50. https://developers.yubico.com/YubiHSM2/Commands/Get_Option.html
 * In a session; session capability get-option. Request (L = 1): tag(1). Response: the option value only
 * (no tag, no length); type it with decodeOptionValue(tag, value) from ./option-values.ts.
 * Unknown tags are INVALID_DATA, as the device answers for options it does not support.
 */
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { checkOptionTag, type DeviceOptionTag } from './option-values.js';
import { copyBytes, exactly } from './shared.js';

export const getOption = defineCommand<DeviceOptionTag, Uint8Array>({
  code: Command.GET_OPTION,
  name: 'Get Option',
  context: 'session',
  encodeRequest: (tag) => Uint8Array.of(tag),
  decodeRequest: (p) => checkOptionTag(exactly(p, 1, 'GetOption request')[0], 'GetOption request'),
  encodeResponse: copyBytes,
  decodeResponse: copyBytes,
});
