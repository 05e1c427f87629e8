/**
 * Asymmetric (EC P-256) session authentication, firmware 2.3+ (PROTOCOL.md 3.6; GlobalPlatform SCP11-style):
 *   shsee = ECDH(ephemeral OCE key, ephemeral SD key), shsss = ECDH(static OCE key, static SD key) (x-coordinates)
 *   shs = X9.63-KDF-SHA256(Z = shsee ‖ shsss, SharedInfo = 3C 88 10, 64 bytes)
 *   K-receipt ‖ S-ENC ‖ S-MAC ‖ S-RMAC = shs (16 bytes each)
 *   receipt = AES-CMAC(K-receipt, EPK.SD ‖ EPK.OCE)
 * ECDH runs in OpenSSL (node:crypto), which rejects points that are not on the curve.
 * Public keys are uncompressed points (65 bytes, 0x04 ‖ X ‖ Y); the 64-byte X ‖ Y form the device stores and
 * returns (GetDevicePublicKey, authentication key payload) is accepted wherever a public key is taken.
 */
import { createECDH, createHash } from 'node:crypto';
import { ProtocolError, UsageError } from '../errors.js';
import { aesCmac } from './cmac.js';
import type { SessionKeys } from './scp03.js';

export const P256_PRIVATE_KEY_LENGTH = 32;
export const P256_PUBLIC_KEY_LENGTH = 65;
export const RECEIPT_LENGTH = 16;
/** SharedInfo of the session-key KDF (PROTOCOL.md 3.6 step 4). */
export const ASYMMETRIC_SHARED_INFO = Uint8Array.of(0x3c, 0x88, 0x10);

/** A P-256 public key as 0x04 ‖ X ‖ Y; accepts that form or bare X ‖ Y. Does not check the point is on the curve. */
export function uncompressedP256(publicKey: Uint8Array, what = 'P-256 public key'): Uint8Array {
  if (publicKey instanceof Uint8Array && publicKey.length === 64) {
    const out = new Uint8Array(65);
    out[0] = 0x04;
    out.set(publicKey, 1);
    return out;
  }
  if (publicKey instanceof Uint8Array && publicKey.length === 65 && publicKey[0] === 0x04) return publicKey.slice();
  const got = publicKey instanceof Uint8Array ? `${publicKey.length} bytes` : typeof publicKey;
  throw new ProtocolError('BAD_EC_POINT', `The ${what} must be 65 bytes (04 ‖ X ‖ Y) or 64 bytes (X ‖ Y), got ${got}.`);
}

function ecdhWith(privateKey: Uint8Array) {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== P256_PRIVATE_KEY_LENGTH) {
    throw new UsageError('BAD_PRIVATE_KEY', `A P-256 private key must be 32 bytes, got ${privateKey instanceof Uint8Array ? privateKey.length : typeof privateKey}.`);
  }
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(privateKey);
  } catch (cause) {
    throw new UsageError('BAD_PRIVATE_KEY', 'The P-256 private key is out of range (0 or not below the group order); use another key.', { cause });
  }
  return ecdh;
}

/** The uncompressed public key of a P-256 private key. */
export function p256PublicKey(privateKey: Uint8Array): Uint8Array {
  return new Uint8Array(ecdhWith(privateKey).getPublicKey());
}

/** A fresh P-256 key pair: 32-byte private scalar, 65-byte uncompressed public key. */
export function generateP256KeyPair(): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const ecdh = createECDH('prime256v1');
  const publicKey = new Uint8Array(ecdh.generateKeys());
  const priv = ecdh.getPrivateKey();
  // getPrivateKey drops leading zero bytes; left-pad to 32.
  const privateKey = new Uint8Array(P256_PRIVATE_KEY_LENGTH);
  privateKey.set(priv, P256_PRIVATE_KEY_LENGTH - priv.length);
  priv.fill(0);
  return { privateKey, publicKey };
}

/** ECDH on P-256: the 32-byte x-coordinate of privateKey·peer. A peer point off the curve is INVALID_DATA. */
export function p256Ecdh(privateKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  const ecdh = ecdhWith(privateKey);
  const peer = uncompressedP256(peerPublicKey, 'peer public key');
  try {
    const secret = ecdh.computeSecret(peer);
    const out = new Uint8Array(secret);
    secret.fill(0);
    return out;
  } catch (cause) {
    throw new ProtocolError('INVALID_EC_POINT', 'The peer public key is not a point on P-256; check the key bytes.', 0x02, { cause });
  }
}

/** ANSI X9.63 KDF with SHA-256: SHA256(Z ‖ u32be(1) ‖ SharedInfo) ‖ SHA256(Z ‖ u32be(2) ‖ SharedInfo) ‖ … */
export function x963KdfSha256(z: Uint8Array, sharedInfo: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const counter = new Uint8Array(4);
  for (let i = 1, off = 0; off < length; i++, off += 32) {
    counter[0] = i >>> 24;
    counter[1] = (i >>> 16) & 0xff;
    counter[2] = (i >>> 8) & 0xff;
    counter[3] = i & 0xff;
    const block = createHash('sha256').update(z).update(counter).update(sharedInfo).digest();
    out.set(block.subarray(0, Math.min(32, length - off)), off);
    block.fill(0);
  }
  return out;
}

export interface AsymmetricSessionSecrets {
  receiptKey: Uint8Array;
  sessionKeys: SessionKeys;
}

/** Splits shs = X9.63-KDF(shsee ‖ shsss) into K-receipt, S-ENC, S-MAC and S-RMAC. */
export function deriveAsymmetricSessionKeys(shsee: Uint8Array, shsss: Uint8Array): AsymmetricSessionSecrets {
  const z = new Uint8Array(64);
  z.set(shsee);
  z.set(shsss, 32);
  const shs = x963KdfSha256(z, ASYMMETRIC_SHARED_INFO, 64);
  z.fill(0);
  const secrets = {
    receiptKey: shs.slice(0, 16),
    sessionKeys: { encKey: shs.slice(16, 32), macKey: shs.slice(32, 48), rmacKey: shs.slice(48, 64) },
  };
  shs.fill(0);
  return secrets;
}

/** receipt = AES-CMAC(K-receipt, EPK.SD ‖ EPK.OCE), both as 65-byte uncompressed points. */
export function sessionReceipt(receiptKey: Uint8Array, deviceEphemeralPublicKey: Uint8Array, hostEphemeralPublicKey: Uint8Array): Uint8Array {
  return aesCmac(receiptKey, deviceEphemeralPublicKey, hostEphemeralPublicKey);
}
