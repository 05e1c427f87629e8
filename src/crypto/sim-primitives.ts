/**
 * Small primitives the software YubiHSM 2 (src/simulator) needs and no other crypto file offers: pure Ed25519
 * signing with a KeyObject, ECDH on any curve the device has and PKCS#1 v1.5 decryption unpadding. Kept here so
 * the simulator never imports node:crypto itself.
 */
import { createECDH, sign, type KeyObject } from 'node:crypto';
import { ProtocolError } from '../errors.js';

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
