/**
 * Device options (PROTOCOL.md 4.6; https://developers.yubico.com/YubiHSM2/Concepts/Options.html) and the
 * value bytes SetOption sends and GetOption returns:
 *   0x01 force-audit       1 byte: 0 off, 1 on, 2 on and fixed until reset
 *   0x03 command-audit     (command(1) ‖ mode(1))* with mode 0/1/2 as above
 *   0x04 algorithm-toggle  (algorithm(1) ‖ enabled(1: 0/1))*   (firmware 2.2+)
 *   0x05 fips-mode         1 byte: set 0/1; read back 0 off, 1 on, 3 pending   (FIPS devices, 2.2+)
 */
import { Reader, Writer } from '../bytes.js';
import { invalidData, wrongLength } from './shared.js';

export const DeviceOption = { FORCE_AUDIT: 0x01, COMMAND_AUDIT: 0x03, ALGORITHM_TOGGLE: 0x04, FIPS_MODE: 0x05 } as const;
export type DeviceOptionTag = (typeof DeviceOption)[keyof typeof DeviceOption];
export const AuditMode = { OFF: 0, ON: 1, FIXED: 2 } as const;

export type OptionSetting =
  | { option: 0x01; forceAudit: number }
  | { option: 0x03; commands: { command: number; mode: number }[] }
  | { option: 0x04; algorithms: { algorithm: number; enabled: boolean }[] }
  | { option: 0x05; fipsMode: number };

export function isDeviceOption(tag: number): tag is DeviceOptionTag {
  return tag === 0x01 || tag === 0x03 || tag === 0x04 || tag === 0x05;
}

export function checkOptionTag(tag: number, what: string): DeviceOptionTag {
  if (!isDeviceOption(tag)) {
    throw invalidData(
      'UNKNOWN_OPTION',
      `${what}: option 0x${tag.toString(16).padStart(2, '0')} is unknown; use 0x01 force-audit, 0x03 command-audit, 0x04 algorithm-toggle or 0x05 fips-mode.`,
    );
  }
  return tag;
}

export function encodeOptionValue(s: OptionSetting): Uint8Array {
  const w = new Writer(16);
  if (s.option === 0x01) w.u8(s.forceAudit);
  else if (s.option === 0x05) w.u8(s.fipsMode);
  else if (s.option === 0x03) for (const c of s.commands) w.u8(c.command).u8(c.mode);
  else for (const a of s.algorithms) w.u8(a.algorithm).u8(a.enabled ? 1 : 0);
  return w.finish();
}

function byteValue(value: Uint8Array, max: number, name: string, allowed?: number[]): number {
  if (value.length !== 1) throw wrongLength('BAD_OPTION_LENGTH', `The ${name} option value is 1 byte, got ${value.length}.`);
  const v = value[0];
  if (allowed ? !allowed.includes(v) : v > max) {
    throw invalidData(
      'BAD_OPTION_VALUE',
      `The ${name} option value ${v} is not valid.`,
    );
  }
  return v;
}

function pairs(value: Uint8Array, name: string, maxSecond: number): [number, number][] {
  if (value.length % 2 !== 0) {
    throw wrongLength(
      'BAD_OPTION_LENGTH',
      `The ${name} option value is a list of 2-byte pairs, got ${value.length} bytes.`,
    );
  }
  const r = new Reader(value, `${name} option`);
  const out: [number, number][] = [];
  while (r.remaining > 0) {
    const a = r.u8();
    const b = r.u8();
    if (b > maxSecond) {
      throw invalidData(
        'BAD_OPTION_VALUE',
        `The ${name} option has value ${b} for 0x${a.toString(16)}; the most is ${maxSecond}.`,
      );
    }
    out.push([a, b]);
  }
  return out;
}

/** Types an option value (as read by GetOption or sent by SetOption). */
export function decodeOptionValue(option: number, value: Uint8Array): OptionSetting {
  switch (checkOptionTag(option, 'Option value')) {
    case 0x01: return { option: 0x01, forceAudit: byteValue(value, 2, 'force-audit') };
    case 0x05: return { option: 0x05, fipsMode: byteValue(value, 3, 'fips-mode', [0, 1, 3]) };
    case 0x03: return { option: 0x03, commands: pairs(value, 'command-audit', 2).map(([command, mode]) => ({ command, mode })) };
    case 0x04:
      return {
        option: 0x04,
        algorithms: pairs(value, 'algorithm-toggle', 1).map(([algorithm, e]) => ({ algorithm, enabled: e === 1 })),
      };
  }
}
