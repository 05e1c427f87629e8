/**
 * Session credentials (PROTOCOL.md 3.1, 3.3-3.6; client rules 2-3 of section 8) and the handshake that uses them.
 * A password is turned into K-ENC/K-MAC once (PBKDF2, on the thread pool) and never kept; pre-derived keys and the
 * P-256 private key of an asymmetric authentication key are copied, so wiping ours never touches the caller's.
 * Device refusals of CreateSession and failed cryptograms/receipts become errors that say what to do.
 */
import { passwordToKeysAsync } from '../crypto/password.js';
import { wipe } from '../crypto/random.js';
import type { StaticKeys } from '../crypto/scp03.js';
import { AuthenticationError, DeviceError, UsageError } from '../errors.js';
import { Command } from '../protocol/command-codes.js';
import { own } from '../protocol/commands/shared.js';
import { DeviceErrorCode } from '../protocol/device-errors.js';
import { formatId, type AuthKeyId } from '../protocol/ids.js';
import { SecureChannel, SessionAuthenticationError } from '../session/index.js';
import { HsmDeviceError } from './errors.js';
import type { YubiHsm } from './yubihsm.js';

export type SessionCredentials =
  /** Symmetric authentication key (algorithm 38) and its password; derived once, never stored. */
  | { authKeyId: number; password: string | Uint8Array; keys?: undefined; privateKey?: undefined }
  /** Symmetric authentication key with K-ENC/K-MAC already derived (deriveAuthenticationKeys). Copied. */
  | { authKeyId: number; keys: StaticKeys; password?: undefined; privateKey?: undefined }
  /** Asymmetric authentication key (algorithm 49): the 32-byte P-256 private scalar. Copied. */
  | { authKeyId: number; privateKey: Uint8Array; devicePublicKey?: Uint8Array; password?: undefined; keys?: undefined };

export type Credential =
  | { kind: 'symmetric'; keys: StaticKeys }
  | { kind: 'asymmetric'; privateKey: Uint8Array; devicePublicKey: Uint8Array };

/** K-ENC/K-MAC for a password (PBKDF2-HMAC-SHA256, 10 000 iterations; PROTOCOL.md 3.1): derive once, reuse. */
export function deriveAuthenticationKeys(password: string | Uint8Array): Promise<StaticKeys> {
  return passwordToKeysAsync(password);
}

export function wipeCredential(c: Credential | undefined): void {
  if (c?.kind === 'symmetric') wipe(c.keys.encKey, c.keys.macKey);
  if (c?.kind === 'asymmetric') wipe(c.privateKey);
}

export async function credentialFrom(hsm: YubiHsm, o: SessionCredentials): Promise<Credential> {
  const given = [o.password, o.keys, o.privateKey].filter((c) => c !== undefined).length;
  if (given > 1) {
    throw new UsageError('HSM_BAD_CREDENTIALS', 'Give exactly one of password, keys or privateKey when opening a session.');
  }
  if (o.password !== undefined) return { kind: 'symmetric', keys: await passwordToKeysAsync(o.password) };
  if (o.keys !== undefined) {
    const { encKey, macKey } = o.keys;
    if (!(encKey instanceof Uint8Array) || encKey.length !== 16 || !(macKey instanceof Uint8Array) || macKey.length !== 16) {
      throw new UsageError('HSM_BAD_CREDENTIALS', 'keys must hold a 16-byte encKey (K-ENC) and a 16-byte macKey (K-MAC); derive them with deriveAuthenticationKeys(password).');
    }
    return { kind: 'symmetric', keys: { encKey: own(encKey), macKey: own(macKey) } };
  }
  if (o.privateKey !== undefined) {
    if (!(o.privateKey instanceof Uint8Array) || o.privateKey.length !== 32) {
      throw new UsageError('HSM_BAD_CREDENTIALS', 'privateKey must be the 32-byte P-256 private scalar of the asymmetric authentication key.');
    }
    const devicePublicKey = (o.devicePublicKey && own(o.devicePublicKey)) ?? (await hsm.getDevicePublicKey()).publicKey;
    return { kind: 'asymmetric', privateKey: own(o.privateKey), devicePublicKey };
  }
  throw new UsageError('HSM_BAD_CREDENTIALS', 'Open a session with { authKeyId, password }, { authKeyId, keys } or { authKeyId, privateKey }.');
}

/** CreateSession (+ AuthenticateSession) with a credential; device refusals become HsmDeviceError. */
export async function handshake(hsm: YubiHsm, id: AuthKeyId, c: Credential, hostChallenge?: Uint8Array): Promise<SecureChannel> {
  const channel =
    c.kind === 'symmetric'
      ? SecureChannel.hostSymmetric({ authKeyId: id, keys: c.keys, hostChallenge })
      : SecureChannel.hostAsymmetric({ authKeyId: id, privateKey: c.privateKey, devicePublicKey: c.devicePublicKey });
  try {
    await channel.handshake((frame) => hsm.sendFrame(frame));
  } catch (e) {
    if (e instanceof DeviceError && !(e instanceof HsmDeviceError)) {
      const refused = e.deviceCode;
      const msg =
        refused === DeviceErrorCode.OBJECT_NOT_FOUND
          ? `CreateSession failed (OBJECT_NOT_FOUND): authentication key ${formatId(id)} does not exist on the device; check the auth key id.`
          : refused === DeviceErrorCode.SESSIONS_FULL
            ? 'CreateSession failed (SESSIONS_FULL): all 16 session slots are in use; close sessions you no longer need or wait 30 s for idle ones to expire.'
            : undefined;
      throw new HsmDeviceError(Command.CREATE_SESSION, refused, msg, { cause: e });
    }
    if (e instanceof SessionAuthenticationError && e.code === 'WRONG_PASSWORD') {
      throw new AuthenticationError(
        'HSM_WRONG_PASSWORD',
        `Wrong password (or derived keys) for auth key ${formatId(id)}: the device's card cryptogram does not match; ` +
          'check the password and the auth key id.',
        { cause: e },
      );
    }
    if (e instanceof SessionAuthenticationError && e.code === 'ASYMMETRIC_AUTH_FAILED') {
      throw new AuthenticationError(
        'HSM_ASYMMETRIC_AUTH_FAILED',
        `The device's session receipt does not verify for auth key ${formatId(id)}: the private key does not belong to ` +
          'this authentication key, or the device public key is wrong; check both.',
        { cause: e },
      );
    }
    throw e;
  }
  return channel;
}
