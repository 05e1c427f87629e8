/**
 * What each object type stores in `SimObject.material`, the body length GetObjectInfo reports (PROTOCOL.md 4.1,
 * the wrap-body sizes of 5.5), and cached node KeyObjects for stored asymmetric keys.
 *
 *   type                material                                   reported length
 *   opaque, template    the data                                   data length
 *   auth key (38)       K-ENC(16) ‖ K-MAC(16)                      40 (delegated caps 8 + 32)
 *   auth key (49)       X ‖ Y (64)                                 72 [I]
 *   asymmetric key      RSA p‖q, EC d, Ed25519 seed (PROTOCOL 5.4) RSA 3.5k, EC 3f, Ed25519 96
 *   wrap key AES        the AES key (16/24/32)                     8 + key length
 *   wrap key RSA        p‖q                                        8 + 3.5k [I]
 *   HMAC key            the key (1..block size)                    2 × block size
 *   OTP AEAD key        nonce id(4) ‖ AES key                      4 + key length [I]
 *   symmetric key       the AES key                                key length [I]
 *   public wrap key     modulus n (k)                              8 + k [I]
 */
import { privateKeyObject, publicKeyObject, publicKeyObjectFromRaw, rawPublicKey } from '../crypto/keys.js';
import { Algorithm, ecCurves, hmacAlgorithms, isEcAlgorithm, isHmacAlgorithm, isRsaAlgorithm, rsaSizes } from '../protocol/algorithms.js';
import { ObjectType } from '../protocol/object-types.js';
import type { SimObject } from './state.js';

/** node:crypto KeyObject, named without importing node:crypto here (crypto lives in src/crypto). */
type KeyObject = ReturnType<typeof privateKeyObject>;

function asymmetricBodyLength(algorithm: number): number {
  if (isRsaAlgorithm(algorithm)) return (rsaSizes[algorithm] * 7) / 2;
  if (isEcAlgorithm(algorithm)) return 3 * ecCurves[algorithm].size;
  return 96;
}

/** The stored body size GetObjectInfo reports. */
export function objectLength(o: SimObject): number {
  switch (o.type) {
    case ObjectType.AUTHENTICATION_KEY:
      return 8 + o.material.length;
    case ObjectType.ASYMMETRIC_KEY:
      return asymmetricBodyLength(o.algorithm);
    case ObjectType.WRAP_KEY:
      return 8 + (isRsaAlgorithm(o.algorithm) ? asymmetricBodyLength(o.algorithm) : o.material.length);
    case ObjectType.HMAC_KEY:
      return isHmacAlgorithm(o.algorithm) ? 2 * hmacAlgorithms[o.algorithm].block : o.material.length;
    case ObjectType.PUBLIC_WRAP_KEY:
      return 8 + o.material.length;
    default:
      return o.material.length;
  }
}

/** Body length of an object not created yet (for the storage check). */
export function bodyLength(type: number, algorithm: number, material: Uint8Array): number {
  return objectLength({ type, algorithm, material } as SimObject);
}

const privateCache = new WeakMap<SimObject, KeyObject>();
const publicCache = new WeakMap<SimObject, KeyObject>();
const rawPublicCache = new WeakMap<SimObject, Uint8Array>();

/** node private KeyObject of an asymmetric key or RSA wrap key (validated once, then cached). */
export function privateKeyOf(o: SimObject): KeyObject {
  let k = privateCache.get(o);
  if (!k) {
    k = privateKeyObject(o.algorithm, o.material);
    privateCache.set(o, k);
  }
  return k;
}

/** node public KeyObject of an asymmetric key, RSA wrap key or public wrap key. */
export function publicKeyOf(o: SimObject): KeyObject {
  let k = publicCache.get(o);
  if (!k) {
    k =
      o.type === ObjectType.PUBLIC_WRAP_KEY || isExpandedEd25519(o)
        ? publicKeyObjectFromRaw(o.algorithm, rawPublicOf(o))
        : publicKeyObject(o.algorithm, o.material);
    publicCache.set(o, k);
  }
  return k;
}

/** An Ed25519 key restored from a format-0 wrap holds its 96-byte expanded key (s ‖ prefix ‖ A), not a seed. */
export function isExpandedEd25519(o: SimObject): boolean {
  return o.type === ObjectType.ASYMMETRIC_KEY && o.algorithm === Algorithm.EC_ED25519 && o.material.length === 96;
}

/** The GetPublicKey form (RSA n, EC X‖Y, Ed25519 A). */
export function rawPublicOf(o: SimObject): Uint8Array {
  if (o.type === ObjectType.PUBLIC_WRAP_KEY) return o.material.slice();
  if (isExpandedEd25519(o)) return o.material.slice(64);
  let k = rawPublicCache.get(o);
  if (!k) {
    k = rawPublicKey(o.algorithm, o.material);
    rawPublicCache.set(o, k);
  }
  return k.slice();
}
