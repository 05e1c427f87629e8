/** Options of the four SecureChannel factories, and the checks applied to them. */
import type { CreateSessionAsymmetricRequest, CreateSessionSymmetricRequest } from '../protocol/commands/create-session.js';
import type { StaticKeys } from '../crypto/scp03.js';
import { UsageError } from '../errors.js';

export interface HostSymmetricOptions {
  authKeyId: number;
  /** K-ENC/K-MAC (passwordToKeys). Not wiped by the channel. */
  keys: StaticKeys;
  /** 8 bytes; random when omitted (inject only in tests). */
  hostChallenge?: Uint8Array;
}
export interface HostAsymmetricOptions {
  authKeyId: number;
  /** SK.OCE, the 32-byte private key whose public half is stored in the authentication key. Not wiped. */
  privateKey: Uint8Array;
  /** PK.SD from GetDevicePublicKey: 64 bytes X ‖ Y or 65 bytes 04 ‖ X ‖ Y. */
  devicePublicKey: Uint8Array;
  /** ESK.OCE, 32 bytes; fresh when omitted (inject only in tests). */
  ephemeralPrivateKey?: Uint8Array;
}
export interface DeviceSymmetricOptions {
  sessionId: number;
  request: CreateSessionSymmetricRequest;
  /** The authentication key's K-ENC/K-MAC. Not wiped by the channel. */
  keys: StaticKeys;
  /** 8 bytes; random when omitted (inject only in tests). */
  cardChallenge?: Uint8Array;
}
export interface DeviceAsymmetricOptions {
  sessionId: number;
  request: CreateSessionAsymmetricRequest;
  /** SK.SD, the device's static 32-byte private key (its public half is what GetDevicePublicKey returns). */
  devicePrivateKey: Uint8Array;
  /** PK.OCE as stored in the authentication key: 64 bytes X ‖ Y (or 65 with the 04 prefix). */
  authPublicKey: Uint8Array;
  /** ESK.SD, 32 bytes; fresh when omitted (inject only in tests). */
  ephemeralPrivateKey?: Uint8Array;
}

export function sessionIdOf(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new UsageError('BAD_SESSION_ID', `A session id is one byte (0-15 on a device), got ${n}.`);
  return n;
}

export function authKeyIdOf(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new UsageError('BAD_OBJECT_ID', `An authentication key id is a u16, got ${n}.`);
  return n;
}

export function bytesOf(b: Uint8Array | undefined, n: number, what: string): Uint8Array | undefined {
  if (b === undefined) return undefined;
  if (!(b instanceof Uint8Array) || b.length !== n) throw new UsageError('BAD_LENGTH', `${what} must be ${n} bytes.`);
  return b.slice();
}
