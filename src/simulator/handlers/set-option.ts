/**
 * Set Option 0x4F (session capability set-option), PROTOCOL.md 4.6. force-audit and per-command audit take
 * 0 off / 1 on / 2 on-and-fixed; a fixed setting can only be cleared by a reset (INVALID_DATA otherwise [I]).
 * The algorithm toggle is accepted only on a fresh device, holding nothing but the default authentication key
 * (INVALID_DATA otherwise [I]). fips-mode is INVALID_DATA (non-FIPS device).
 */
import { setOption } from '../../protocol/commands/set-option.js';
import { DeviceOption } from '../../protocol/commands/option-values.js';
import { requireSessionCapability } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';
import { Audit, COMMAND_AUDIT_ORDER, DEFAULT_AUTH_KEY_ID, objectKey } from '../state.js';
import { SUPPORTED_ALGORITHMS } from './get-device-info.js';

export const setOptionHandler = defineHandler(setOption, (ctx, s) => {
  requireSessionCapability(sessionAuth(ctx), 'set-option');
  const options = ctx.contents.options;
  switch (s.option) {
    case DeviceOption.FORCE_AUDIT:
      if (options.forceAudit === Audit.FIXED && s.forceAudit !== Audit.FIXED) {
        fail(E.INVALID_DATA, 'force-audit is fixed on until the device is reset.');
      }
      options.forceAudit = s.forceAudit;
      break;
    case DeviceOption.COMMAND_AUDIT:
      for (const { command, mode } of s.commands) {
        if (!COMMAND_AUDIT_ORDER.includes(command)) fail(E.INVALID_DATA, `Command 0x${command.toString(16)} has no audit setting.`);
        if (options.commandAudit.get(command) === Audit.FIXED && mode !== Audit.FIXED) {
          fail(E.INVALID_DATA, `Auditing of command 0x${command.toString(16)} is fixed on until the device is reset.`);
        }
      }
      for (const { command, mode } of s.commands) options.commandAudit.set(command, mode);
      break;
    case DeviceOption.ALGORITHM_TOGGLE: {
      const objects = ctx.contents.objects;
      if (objects.size !== 1 || !objects.has(objectKey(0x02, DEFAULT_AUTH_KEY_ID))) {
        fail(E.INVALID_DATA, 'Algorithms can only be toggled on a freshly reset device.');
      }
      for (const { algorithm } of s.algorithms) {
        if (!SUPPORTED_ALGORITHMS.includes(algorithm)) fail(E.INVALID_DATA, `Algorithm ${algorithm} does not exist.`);
      }
      for (const { algorithm, enabled } of s.algorithms) {
        if (enabled) options.disabledAlgorithms.delete(algorithm);
        else options.disabledAlgorithms.add(algorithm);
      }
      break;
    }
    default:
      fail(E.INVALID_DATA, 'fips-mode is not supported by this (non-FIPS) device.');
  }
  ctx.changed();
});
