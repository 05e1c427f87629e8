/**
 * Symmetric primitives of the local KMS server: AES-256-GCM for Encrypt/Decrypt/GenerateDataKey ciphertexts and
 * sealed import tokens, HMAC verification for VerifyMac and KeyMaterialIds. (HMAC itself is in digest.ts, random
 * bytes and UUIDs in random.ts.)
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { hmac } from './digest.js';
import { randomBytes } from './random.js';
import { takeBytes } from './owned-bytes.js';

/** AES-256-GCM: returns iv(12) ‖ tag(16) ‖ ciphertext, `aad` authenticated. */
export function aesGcmSeal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return new Uint8Array(Buffer.concat([iv, c.getAuthTag(), ct]));
}

/** Opens `aesGcmSeal` output; undefined when the key, the AAD or the bytes do not match. */
export function aesGcmOpen(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | undefined {
  if (sealed.length < 28) return undefined;
  try {
    const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(12, 28));
    const head = d.update(sealed.subarray(28));
    try {
      return takeBytes(head, d.final());
    } finally {
      head.fill(0); // unauthenticated plaintext when the tag does not match
    }
  } catch {
    return undefined;
  }
}

/** Compares a received MAC with the expected one in constant time. */
export function hmacVerify(hash: string, key: Uint8Array, message: Uint8Array, mac: Uint8Array): boolean {
  const expected = hmac(hash, key, message);
  return mac.length === expected.length && timingSafeEqual(mac, expected);
}

/** 64 lowercase hex: HMAC-SHA-256(idKey, keyId ‖ 0x00 ‖ material). Same key ID and material → same id. */
export function keyMaterialId(idKey: Uint8Array, keyId: string, material: Uint8Array): string {
  return createHmac('sha256', idKey).update(keyId).update(Buffer.of(0)).update(material).digest('hex');
}
