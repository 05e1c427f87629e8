/**
 * OTP AEAD keys, type 0x07 (PROTOCOL.md 5.6): AES keys (aes128/192/256-yubico-otp, 37/39/40) with a 32-bit nonce
 * id, for Yubico OTP validation: CreateOtpAead 0x61, RandomizeOtpAead 0x62, DecryptOtp 0x60, RewrapOtpAead 0x63.
 */
import { own } from '../../protocol/commands/shared.js';
import { UsageError } from '../../errors.js';
import { createOtpAead } from '../../protocol/commands/create-otp-aead.js';
import { decryptOtp, type OtpData } from '../../protocol/commands/decrypt-otp.js';
import { generateOtpAeadKey } from '../../protocol/commands/generate-otp-aead-key.js';
import { putOtpAeadKey } from '../../protocol/commands/put-otp-aead-key.js';
import { randomizeOtpAead } from '../../protocol/commands/randomize-otp-aead.js';
import { rewrapOtpAead } from '../../protocol/commands/rewrap-otp-aead.js';
import { keyId, type KeyId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { HsmSession } from '../session.js';
import { newObject, toAlgorithm, YubiHsmObject, type AlgorithmInput, type CreateOptions } from './object.js';

export type OtpAeadKeyOptions = CreateOptions & { algorithm: AlgorithmInput; /** u32 */ nonceId: number };

function nonce(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new UsageError('HSM_BAD_ARGUMENT', `The nonce id is a u32, got ${n}.`);
  return n;
}

export class OtpAeadKey extends YubiHsmObject<KeyId> {
  readonly type = ObjectType.OTP_AEAD_KEY;

  static from(session: HsmSession, id: number | string): OtpAeadKey {
    return new OtpAeadKey(session, keyId(id));
  }

  /** GenerateOtpAeadKey (0x66); session capability generate-otp-aead-key. */
  static async generate(session: HsmSession, o: OtpAeadKeyOptions): Promise<OtpAeadKey> {
    const req = { ...newObject(o, toAlgorithm(o.algorithm, ObjectType.OTP_AEAD_KEY)), nonceId: nonce(o.nonceId) };
    return new OtpAeadKey(session, keyId(await session.call(generateOtpAeadKey, req)));
  }

  /** PutOtpAeadKey (0x65); session capability put-otp-aead-key. Key: 16/24/32 bytes, wiped after sending. */
  static async put(session: HsmSession, o: OtpAeadKeyOptions & { key: Uint8Array }): Promise<OtpAeadKey> {
    const key = own(o.key);
    try {
      const req = { ...newObject(o, toAlgorithm(o.algorithm, ObjectType.OTP_AEAD_KEY)), nonceId: nonce(o.nonceId), key };
      return new OtpAeadKey(session, keyId(await session.call(putOtpAeadKey, req)));
    } finally {
      key.fill(0);
    }
  }

  /** CreateOtpAead (0x61): the 36-byte AEAD holding a YubiKey's AES key (16 bytes) and private id (6 bytes). */
  createAead(key: Uint8Array, privateId: Uint8Array): Promise<Uint8Array> {
    return this.session.call(createOtpAead, { keyId: this.id, key, privateId });
  }

  /** RandomizeOtpAead (0x62): an AEAD over a random key and private id. */
  randomizeAead(): Promise<Uint8Array> {
    return this.session.call(randomizeOtpAead, this.id);
  }

  /** DecryptOtp (0x60): decrypts a 16-byte OTP with the AEAD; INVALID_OTP if it does not check out. */
  decryptOtp(aead: Uint8Array, otp: Uint8Array): Promise<OtpData> {
    return this.session.call(decryptOtp, { keyId: this.id, aead, otp });
  }

  /** RewrapOtpAead (0x63): re-encrypts an AEAD made under this key for `to`. */
  rewrapAead(to: OtpAeadKey, aead: Uint8Array): Promise<Uint8Array> {
    return this.session.call(rewrapOtpAead, { fromKeyId: this.id, toKeyId: to.id, aead });
  }
}
