/**
 * Set Option, command 0x4F. https://developers.yubico.com/YubiHSM2/Commands/Set_Option.html
 * In a session; session capability set-option. Request: tag(1) ‖ length(u16) ‖ value (./option-values.ts).
 * Response: empty. A FIPS-mode value other than 0/1 is INVALID_DATA (3 "pending" is read-only).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeOptionValue, encodeOptionValue, type OptionSetting } from './option-values.js';
import { decodeEmpty, encodeEmpty, invalidData, wrongLength } from './shared.js';

export const setOption = defineCommand<OptionSetting, void>({
  code: Command.SET_OPTION,
  name: 'Set Option',
  context: 'session',
  encodeRequest(s) {
    const value = encodeOptionValue(s);
    return new Writer(3 + value.length).u8(s.option).u16(value.length).bytes(value).finish();
  },
  decodeRequest(payload) {
    const r = new Reader(payload, 'SetOption request');
    const tag = r.u8('option tag');
    const len = r.u16('option length');
    if (r.remaining !== len) {
      throw wrongLength('BAD_OPTION_LENGTH', `SetOption length field says ${len} value bytes but ${r.remaining} follow.`);
    }
    const s = decodeOptionValue(tag, r.rest());
    if (s.option === 0x05 && s.fipsMode > 1) throw invalidData('BAD_OPTION_VALUE', 'fips-mode can only be set to 0 or 1.');
    return s;
  },
  encodeResponse: encodeEmpty,
  decodeResponse: (p) => decodeEmpty(p, 'SetOption response'),
});
