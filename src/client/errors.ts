/**
 * Errors the client library throws (device errors: PROTOCOL.md 1.3, https://developers.yubico.com/YubiHSM2/Concepts/Errors.html).
 *
 * Every device error byte becomes an `HsmDeviceError` whose `code` is `HSM_<NAME>` (e.g. `HSM_OBJECT_NOT_FOUND`)
 * and whose message names the command and says what to do. Two errors carry more: `HsmPermissionError`
 * (INSUFFICIENT_PERMISSIONS, with the missing capabilities and the objects that lack them) and
 * `HsmObjectNotFoundError` (OBJECT_NOT_FOUND, with the objects that could not be seen). Session loss has its own
 * class, `HsmSessionLostError`, which says whether the command ran and whether it was re-run.
 * Faults are split by side as in src/errors.ts: device, authentication, protocol, transport, usage.
 */
import { DeviceError, Hsm2KmsError } from '../errors.js';
import { commandName } from '../protocol/command-codes.js';
import { deviceErrorAdviceFor, DeviceErrorCode, deviceErrorName, type DeviceErrorName } from '../protocol/device-errors.js';
import { formatId } from '../protocol/ids.js';
import { objectTypeName } from '../protocol/object-types.js';

/** `HSM_<device error name>` for every device error (the stable `code` of HsmDeviceError). */
export const HsmErrorCode = Object.fromEntries(
  Object.keys(DeviceErrorCode).map((name) => [name, `HSM_${name}`]),
) as { readonly [K in DeviceErrorName]: `HSM_${K}` };
export type HsmErrorCodeValue = (typeof HsmErrorCode)[DeviceErrorName];

/** Commands as Yubico's pages name them, in CamelCase (`SignEcdsa`), for messages. */
export function commandLabel(code: number): string {
  const raw = commandName(code);
  if (raw.startsWith('UNKNOWN_')) return `command 0x${code.toString(16).padStart(2, '0')}`;
  return raw
    .toLowerCase()
    .split('_')
    .map((w) => (w === 'wrapkey' ? 'WrapKey' : w === 'pubkey' ? 'PublicKey' : w[0].toUpperCase() + w.slice(1)))
    .join('');
}

/** A reference to an object, for messages: `asymmetric-key 0x0100`. */
export function describeObject(ref: { type: number; id: number }): string {
  return `${objectTypeName(ref.type)} ${formatId(ref.id)}`;
}

/** The device answered a command with an error code (inside a session or plain). */
export class HsmDeviceError extends DeviceError {
  /** The command that failed (PROTOCOL.md 1.4). */
  readonly command: number;
  /** `INVALID_DATA`, `OBJECT_NOT_FOUND`, ... (or UNKNOWN_ERROR_0xNN). */
  readonly deviceErrorName: string;

  constructor(command: number, deviceCode: number, message?: string, options?: { cause?: unknown }) {
    const name = deviceErrorName(deviceCode);
    const advice = deviceErrorAdviceFor(deviceCode) ?? 'an error code this library does not know';
    super(`HSM_${name}`, deviceCode, message ?? `${commandLabel(command)} failed with ${name}: ${advice}.`, options);
    this.command = command;
    this.deviceErrorName = name;
  }
}

/** One thing the device's access control refused (PROTOCOL.md 4.4). */
export interface MissingPermission {
  /** Which rule failed. */
  kind: 'capability' | 'delegated' | 'domain' | 'exportable';
  /** The object that lacks it: the session's auth key, a target key, a wrap key. */
  object: { type: number; id: number };
  /** Role of that object in the command: `auth key`, `key`, `wrap key`, `public wrap key`, ... */
  role: string;
  /** Capability names (shell spelling) or, for `domain`, domain numbers as text. */
  missing: string[];
}

/** INSUFFICIENT_PERMISSIONS with the client's diagnosis of what is missing where (best effort). */
export class HsmPermissionError extends HsmDeviceError {
  readonly missing: readonly MissingPermission[];
  constructor(command: number, message: string, missing: MissingPermission[]) {
    super(command, DeviceErrorCode.INSUFFICIENT_PERMISSIONS, message);
    this.missing = missing;
  }
}

/** OBJECT_NOT_FOUND naming the object(s) the session could not see. */
export class HsmObjectNotFoundError extends HsmDeviceError {
  readonly objects: readonly { type: number; id: number }[];
  constructor(command: number, message: string, objects: { type: number; id: number }[]) {
    super(command, DeviceErrorCode.OBJECT_NOT_FOUND, message);
    this.objects = objects;
  }
}

/** Why a session stopped being usable. */
export type SessionLossReason =
  | 'invalid-session' // the device answered INVALID_SESSION: expired (30 s idle), closed, or reset
  | 'authentication-failed' // the device rejected our C-MAC (AUTHENTICATION_FAILED outside the session)
  | 'session-refused' // another plain (unMACed) error answered the session message
  | 'bad-response' // the answer failed R-MAC, decryption or framing checks on our side
  | 'transport'; // the frame or its answer was lost in transport

/**
 * The session is dead (PROTOCOL.md 8 client rule 4). `executed` says whether the command may have run on the
 * device; `rerun` whether the client re-ran it on a new session (it never does so for commands that change state).
 */
export class HsmSessionLostError extends Hsm2KmsError {
  readonly side = 'device' as const;
  readonly reason: SessionLossReason;
  readonly command: number;
  /** `no`: the device did not run it; `unknown`: it may have run (its answer was lost or could not be verified). */
  readonly executed: 'no' | 'unknown';
  /** What happened, without the library's advice (a command built on the library gives its own). */
  readonly happened: string;
  constructor(
    command: number,
    reason: SessionLossReason,
    executed: 'no' | 'unknown',
    happened: string,
    advice: string | undefined,
    options?: { cause?: unknown },
  ) {
    super('HSM_SESSION_LOST', advice === undefined ? happened : `${happened}; ${advice}.`, options);
    this.happened = happened;
    this.reason = reason;
    this.command = command;
    this.executed = executed;
  }
}
