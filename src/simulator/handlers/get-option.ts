/**
 * Get Option 0x50 (session capability get-option), PROTOCOL.md 4.6: force-audit (1 byte), command-audit (pairs
 * for every command, in the device's order), algorithm-toggle (pairs for algorithms 1..55). fips-mode is
 * INVALID_DATA: the simulator is a non-FIPS YubiHSM 2 (python-yubihsm treats that answer as "not a FIPS device").
 */
import { getOption } from '../../protocol/commands/get-option.js';
import { DeviceOption } from '../../protocol/commands/option-values.js';
import { requireSessionCapability } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';
import { COMMAND_AUDIT_ORDER } from '../state.js';
import { SUPPORTED_ALGORITHMS } from './get-device-info.js';

export const getOptionHandler = defineHandler(getOption, (ctx, tag) => {
  requireSessionCapability(sessionAuth(ctx), 'get-option');
  const options = ctx.contents.options;
  switch (tag) {
    case DeviceOption.FORCE_AUDIT:
      return Uint8Array.of(options.forceAudit);
    case DeviceOption.COMMAND_AUDIT:
      return Uint8Array.from(COMMAND_AUDIT_ORDER.flatMap((c) => [c, options.commandAudit.get(c) ?? 0]));
    case DeviceOption.ALGORITHM_TOGGLE:
      return Uint8Array.from(SUPPORTED_ALGORITHMS.flatMap((a) => [a, options.disabledAlgorithms.has(a) ? 0 : 1]));
    default:
      return fail(E.INVALID_DATA, `Option 0x${tag.toString(16)} is not supported by this (non-FIPS) device.`);
  }
});
