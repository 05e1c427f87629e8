/**
 * AES-CCM as the YubiHSM 2 uses it for ExportWrapped (0x4A), ImportWrapped (0x4B), WrapData (0x68) and UnwrapData
 * (0x69), PROTOCOL.md 5.5: AES-128/192/256 per the wrap key, 13-byte nonce (L = 2), 16-byte tag, no associated data.
 * A blob on the wire is nonce(13) ‖ ciphertext ‖ tag(16). WrapData encrypts 0x00 ‖ data; UnwrapData checks and
 * strips that byte. Yubico OTP AEADs (PROTOCOL.md 5.6) use the same cipher with an 8-byte tag (OTP_AEAD_TAG_LENGTH).
 * Every authentication failure is `undefined`, without detail.
 */
import { createCipheriv, createDecipheriv, randomBytes, type CipherCCMTypes } from 'node:crypto';
import { UsageError } from '../errors.js';
import { takeBytes } from './owned-bytes.js';

export const CCM_NONCE_LENGTH = 13;
export const CCM_TAG_LENGTH = 16;
/** Tag length of a Yubico OTP AEAD (python-yubihsm tests/device/test_otp.py). */
export const OTP_AEAD_TAG_LENGTH = 8;
/** With a 13-byte nonce the length field is 2 bytes: at most 65535 bytes of plaintext. */
export const CCM_MAX_PLAINTEXT = 0xffff;

function cipherName(key: Uint8Array): CipherCCMTypes {
  switch (key.length) {
    case 16: return 'aes-128-ccm';
    case 24: return 'aes-192-ccm';
    case 32: return 'aes-256-ccm';
    default: throw new UsageError('BAD_AES_KEY_LENGTH', `An AES-CCM wrap key is 16, 24 or 32 bytes, got ${key.length}.`);
  }
}

function checkNonce(nonce: Uint8Array): void {
  if (nonce.length !== CCM_NONCE_LENGTH) throw new UsageError('BAD_CCM_NONCE', `The AES-CCM nonce must be 13 bytes, got ${nonce.length}.`);
}

/** ciphertext ‖ tag (16 bytes unless `tagLength` says otherwise). */
export function aesCcmEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, tagLength = CCM_TAG_LENGTH): Uint8Array {
  checkNonce(nonce);
  if (plaintext.length > CCM_MAX_PLAINTEXT) {
    throw new UsageError('CCM_PLAINTEXT_TOO_LONG', `AES-CCM with a 13-byte nonce encrypts at most 65535 bytes, got ${plaintext.length}.`);
  }
  const c = createCipheriv(cipherName(key), key, nonce, { authTagLength: tagLength });
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return new Uint8Array(Buffer.concat([ct, c.getAuthTag()]));
}

/** Plaintext, or `undefined` when the tag does not verify (wrong key, nonce or data). */
export function aesCcmDecrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertextAndTag: Uint8Array,
  tagLength = CCM_TAG_LENGTH,
): Uint8Array | undefined {
  checkNonce(nonce);
  const name = cipherName(key);
  if (ciphertextAndTag.length < tagLength) return undefined;
  const ct = ciphertextAndTag.subarray(0, ciphertextAndTag.length - tagLength);
  const tag = ciphertextAndTag.subarray(ciphertextAndTag.length - tagLength);
  try {
    const d = createDecipheriv(name, key, nonce, { authTagLength: tagLength });
    d.setAuthTag(tag);
    const out = d.update(ct);
    try {
      d.final();
      return takeBytes(out);
    } finally {
      out.fill(0); // unauthenticated plaintext when the tag does not match
    }
  } catch {
    return undefined;
  }
}

/** nonce ‖ ciphertext ‖ tag with a fresh random nonce (or the one given, for tests). */
export function aesCcmWrap(key: Uint8Array, plaintext: Uint8Array, nonce: Uint8Array = new Uint8Array(randomBytes(CCM_NONCE_LENGTH))): Uint8Array {
  const body = aesCcmEncrypt(key, nonce, plaintext);
  const out = new Uint8Array(CCM_NONCE_LENGTH + body.length);
  out.set(nonce, 0);
  out.set(body, CCM_NONCE_LENGTH);
  return out;
}

/** Opens nonce ‖ ciphertext ‖ tag; `undefined` when it does not authenticate or is too short. */
export function aesCcmUnwrap(key: Uint8Array, blob: Uint8Array): Uint8Array | undefined {
  cipherName(key);
  if (blob.length < CCM_NONCE_LENGTH + CCM_TAG_LENGTH) return undefined;
  return aesCcmDecrypt(key, blob.subarray(0, CCM_NONCE_LENGTH), blob.subarray(CCM_NONCE_LENGTH));
}

/** WrapData (0x68): nonce ‖ CCM(0x00 ‖ data) ‖ tag. */
export function wrapData(key: Uint8Array, data: Uint8Array, nonce?: Uint8Array): Uint8Array {
  const plain = new Uint8Array(1 + data.length);
  plain.set(data, 1);
  try {
    return aesCcmWrap(key, plain, nonce);
  } finally {
    plain.fill(0);
  }
}

/** UnwrapData (0x69): opens the blob and strips the leading 0x00; `undefined` if it fails or the byte is not 0x00. */
export function unwrapData(key: Uint8Array, blob: Uint8Array): Uint8Array | undefined {
  const plain = aesCcmUnwrap(key, blob);
  if (plain === undefined) return undefined;
  try {
    return plain.length >= 1 && plain[0] === 0x00 ? plain.slice(1) : undefined;
  } finally {
    plain.fill(0);
  }
}
