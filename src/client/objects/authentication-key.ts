/**
 * Authentication keys, type 0x02 (PROTOCOL.md 3.1, 3.6, 5.3): symmetric (aes128-yubico-authentication, algorithm
 * 38: K-ENC ‖ K-MAC, usually derived from a password) or asymmetric (ecp256-yubico-authentication, algorithm 49,
 * firmware 2.3+: a P-256 public key). Their delegated capabilities bound what objects created through them may do.
 *
 *   const app = await AuthenticationKey.putDerived(s, { id: 2, label: 'app', domains: 1, capabilities: 'sign-ecdsa',
 *                                                      delegatedCapabilities: 'sign-ecdsa', password: 'secret' });
 */
import { uncompressedP256 } from '../../crypto/asym-auth.js';
import { passwordToKeysAsync } from '../../crypto/password.js';
import { wipe } from '../../crypto/random.js';
import type { StaticKeys } from '../../crypto/scp03.js';
import { UsageError } from '../../errors.js';
import { Algorithm } from '../../protocol/algorithms.js';
import { changeAuthenticationKey } from '../../protocol/commands/change-authentication-key.js';
import { putAuthenticationKey } from '../../protocol/commands/put-authentication-key.js';
import { authKeyId, type AuthKeyId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { HsmSession } from '../session.js';
import { newObjectDelegated, YubiHsmObject, type CreateOptionsDelegated } from './object.js';

function keyBytes(keys: StaticKeys): Uint8Array {
  if (keys?.encKey?.length !== 16 || keys?.macKey?.length !== 16) {
    throw new UsageError('HSM_BAD_CREDENTIALS', 'keys must hold a 16-byte encKey (K-ENC) and a 16-byte macKey (K-MAC).');
  }
  const out = new Uint8Array(32);
  out.set(keys.encKey);
  out.set(keys.macKey, 16);
  return out;
}

/** X ‖ Y of a P-256 public key given as 65 bytes (04 ‖ X ‖ Y) or 64 bytes. */
function publicXY(publicKey: Uint8Array): Uint8Array {
  return uncompressedP256(publicKey, 'authentication public key').slice(1);
}

export class AuthenticationKey extends YubiHsmObject<AuthKeyId> {
  readonly type = ObjectType.AUTHENTICATION_KEY;

  static from(session: HsmSession, id: number | string): AuthenticationKey {
    return new AuthenticationKey(session, authKeyId(id));
  }

  /** PutAuthenticationKey (0x44) with K-ENC/K-MAC derived from `password` (PBKDF2, PROTOCOL.md 3.1). */
  static async putDerived(session: HsmSession, o: CreateOptionsDelegated & { password: string | Uint8Array }): Promise<AuthenticationKey> {
    const keys = await passwordToKeysAsync(o.password);
    try {
      return await AuthenticationKey.put(session, { ...o, keys });
    } finally {
      wipe(keys.encKey, keys.macKey);
    }
  }

  /** PutAuthenticationKey (0x44), algorithm 38, with K-ENC/K-MAC given. Session capability put-authentication-key. */
  static async put(session: HsmSession, o: CreateOptionsDelegated & { keys: StaticKeys }): Promise<AuthenticationKey> {
    const key = keyBytes(o.keys);
    try {
      const req = { ...newObjectDelegated(o, Algorithm.AES128_YUBICO_AUTHENTICATION), key };
      return new AuthenticationKey(session, authKeyId(await session.call(putAuthenticationKey, req)));
    } finally {
      key.fill(0);
    }
  }

  /** PutAuthenticationKey (0x44), algorithm 49 (firmware 2.3+): a P-256 public key for asymmetric authentication. */
  static async putPublicKey(session: HsmSession, o: CreateOptionsDelegated & { publicKey: Uint8Array }): Promise<AuthenticationKey> {
    const req = { ...newObjectDelegated(o, Algorithm.EC_P256_YUBICO_AUTHENTICATION), key: publicXY(o.publicKey) };
    return new AuthenticationKey(session, authKeyId(await session.call(putAuthenticationKey, req)));
  }

  /** ChangeAuthenticationKey (0x6C) to a new password; only the session's own key (else INVALID_ID). */
  async changePassword(password: string | Uint8Array): Promise<void> {
    const keys = await passwordToKeysAsync(password);
    try {
      await this.changeKeys(keys);
    } finally {
      wipe(keys.encKey, keys.macKey);
    }
  }

  /** ChangeAuthenticationKey (0x6C) to new K-ENC/K-MAC. */
  async changeKeys(keys: StaticKeys): Promise<void> {
    const key = keyBytes(keys);
    try {
      await this.session.call(changeAuthenticationKey, { keyId: this.id, algorithm: Algorithm.AES128_YUBICO_AUTHENTICATION, key });
    } finally {
      key.fill(0);
    }
  }

  /** ChangeAuthenticationKey (0x6C) to a new P-256 public key (asymmetric authentication key). */
  async changePublicKey(publicKey: Uint8Array): Promise<void> {
    await this.session.call(changeAuthenticationKey, {
      keyId: this.id, algorithm: Algorithm.EC_P256_YUBICO_AUTHENTICATION, key: publicXY(publicKey),
    });
  }
}
