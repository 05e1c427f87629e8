/**
 * Small primitives the software YubiHSM 2 (src/simulator) needs and no other crypto file offers: pure Ed25519
 * signing with a KeyObject, ECDH on any curve the device has, HMAC and plain digests, AES-ECB decryption,
 * PKCS#1 v1.5 decryption unpadding and the 8-byte-tag AES-CCM of Yubico OTP AEADs. Kept here so the simulator
 * never imports node:crypto itself.
 */
import { createCipheriv, createDecipheriv, createECDH, createHash, createHmac, sign, type KeyObject } from 'node:crypto';
import { ProtocolError } from '../errors.js';

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** Pure Ed25519 (RFC 8032) signature of `message` (64 bytes). */
export function ed25519Sign(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKey));
}

/**
 * ECDH: the x-coordinate of d·P on `curve` (an OpenSSL curve name), `f` bytes. A peer point that is not on the
 * curve is a ProtocolError with INVALID_DATA (0x02), as the device answers.
 */
export function ecdhSharedX(curve: string, d: Uint8Array, peerPoint: Uint8Array): Uint8Array {
  const ecdh = createECDH(curve);
  ecdh.setPrivateKey(Buffer.from(d));
  try {
    return new Uint8Array(ecdh.computeSecret(Buffer.from(peerPoint)));
  } catch (cause) {
    throw new ProtocolError('INVALID_EC_POINT', `The peer public key is not a point on ${curve}; check the key bytes.`, 0x02, { cause });
  }
}

export function hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(hash, key).update(data).digest());
}

export function digest(hash: HashName, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(hash).update(data).digest());
}

/**
 * Removes PKCS#1 v1.5 encryption padding (RFC 8017 7.2.2: 00 02 PS(≥ 8 non-zero bytes) 00 M) from a k-byte
 * decrypted block; undefined when the block is not well formed. Not constant-time: a simulator's DecryptPkcs1,
 * which node:crypto no longer offers for private-key decryption (Marvin attack mitigation).
 */
export function pkcs1v15Unpad(em: Uint8Array): Uint8Array | undefined {
  if (em.length < 11 || em[0] !== 0x00 || em[1] !== 0x02) return undefined;
  let i = 2;
  while (i < em.length && em[i] !== 0) i++;
  if (i === em.length || i - 2 < 8) return undefined;
  return em.slice(i + 1);
}

/** AES-ECB decryption of whole blocks (no padding), the inverse of aes.ts aesEcbEncrypt. */
export function aesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  const name = key.length === 16 ? 'aes-128-ecb' : key.length === 24 ? 'aes-192-ecb' : 'aes-256-ecb';
  const d = createDecipheriv(name, key, null).setAutoPadding(false);
  return new Uint8Array(d.update(data));
}

/**
 * AES-CCM with an 8-byte tag and a 13-byte nonce, no associated data: the Yubico OTP AEAD of the YubiHSM 2
 * (nonce = nonce id (u32 LE) ‖ 6-byte AEAD nonce ‖ 00 00 00; python-yubihsm tests/device/test_otp.py).
 * Returns ciphertext ‖ tag.
 */
export function aesCcm8Encrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const c = createCipheriv(ccmName(key), key, nonce, { authTagLength: 8 });
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return new Uint8Array(Buffer.concat([ct, c.getAuthTag()]));
}

/** Inverse of aesCcm8Encrypt; undefined when the tag does not verify. */
export function aesCcm8Decrypt(key: Uint8Array, nonce: Uint8Array, ciphertextAndTag: Uint8Array): Uint8Array | undefined {
  if (ciphertextAndTag.length < 8) return undefined;
  try {
    const d = createDecipheriv(ccmName(key), key, nonce, { authTagLength: 8 });
    d.setAuthTag(ciphertextAndTag.subarray(ciphertextAndTag.length - 8));
    const out = d.update(ciphertextAndTag.subarray(0, ciphertextAndTag.length - 8));
    d.final();
    return new Uint8Array(out);
  } catch {
    return undefined;
  }
}

function ccmName(key: Uint8Array): 'aes-128-ccm' | 'aes-192-ccm' | 'aes-256-ccm' {
  return key.length === 16 ? 'aes-128-ccm' : key.length === 24 ? 'aes-192-ccm' : 'aes-256-ccm';
}
