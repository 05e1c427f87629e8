/**
 * Asymmetric keys for every YubiHSM 2 key algorithm (PROTOCOL.md 4.5, 5.4): RSA 2048/3072/4096 (e = 65537),
 * EC P-224/P-256/P-384/P-521/secp256k1/brainpoolP256r1/P384r1/P512r1, Ed25519.
 *
 * The raw form is what the device stores and PutAsymmetricKey (0x45) carries: RSA p‖q (k/2 bytes each), EC private
 * scalar d (f bytes), Ed25519 32-byte seed. From it: node KeyObjects (through DER PKCS#8/SPKI, never JWK, so
 * brainpool and P-224 work), and the public key in the GetPublicKey (0x54) form: RSA n, EC X‖Y, Ed25519 A.
 */
import { createECDH, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { ecCurves, isEcAlgorithm, isRsaAlgorithm, rsaSizes } from '../protocol/algorithms.js';
import { bigIntToBytes, bytesToBigInt } from './ecdsa.js';
import {
  assertKeyAlgorithm,
  curveOf,
  ecPublicXY,
  ed25519PublicFromSeed,
  rsaMaterialFromPrimes,
  rsaModulusFromMaterial,
  type KeyAlgorithm,
} from './key-material.js';
import { encodePkcs8, parsePkcs8, type RawPrivateKey } from './pkcs8.js';
import { encodeSpki, publicKeyObjectFromRaw, rawPublicFromKeyObject, type RawPublicKey } from './spki.js';
import { bufferView } from './owned-bytes.js';

export type { KeyAlgorithm, RawPrivateKey, RawPublicKey };
export { publicKeyObjectFromRaw, rawPublicFromKeyObject };

/**
 * Fresh key material for `algorithm`, in the stored form. EC scalars come from `createECDH().generateKeys()`
 * (left-padded to f), RSA primes from `generateKeyPairSync('rsa', { publicExponent: 65537 })`, Ed25519 seeds are
 * 32 random bytes.
 */
export function generateKeyMaterial(algorithm: number): Uint8Array {
  assertKeyAlgorithm(algorithm);
  if (isEcAlgorithm(algorithm)) {
    const { size } = ecCurves[algorithm];
    const ecdh = createECDH(curveOf(algorithm));
    ecdh.generateKeys();
    const d = ecdh.getPrivateKey();
    const out = bigIntToBytes(bytesToBigInt(d), size);
    d.fill(0);
    return out;
  }
  if (isRsaAlgorithm(algorithm)) {
    for (;;) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: rsaSizes[algorithm] * 8, publicExponent: 65537 });
      const jwk = privateKey.export({ format: 'jwk' });
      const p = bytesToBigInt(Buffer.from(jwk.p as string, 'base64url'));
      const q = bytesToBigInt(Buffer.from(jwk.q as string, 'base64url'));
      const half = BigInt(rsaSizes[algorithm] * 4);
      // OpenSSL primes are balanced; keep the loop only as a guard for the k/2-byte storage form.
      if (p < 1n << half && q < 1n << half) return rsaMaterialFromPrimes(algorithm, p, q);
    }
  }
  return new Uint8Array(randomBytes(32));
}

/** node private KeyObject for stored material (validated: length, scalar range, primality). */
export function privateKeyObject(algorithm: number, material: Uint8Array): KeyObject {
  const der = encodePkcs8(algorithm, material);
  try {
    return createPrivateKey({ key: bufferView(der), format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

/** Public key in the GetPublicKey form: RSA n (k bytes), EC X‖Y (2f bytes), Ed25519 A (32 bytes). */
export function rawPublicKey(algorithm: number, material: Uint8Array): Uint8Array {
  assertKeyAlgorithm(algorithm);
  if (isRsaAlgorithm(algorithm)) return bigIntToBytes(rsaModulusFromMaterial(algorithm, material), rsaSizes[algorithm]);
  if (isEcAlgorithm(algorithm)) return ecPublicXY(algorithm, material);
  return ed25519PublicFromSeed(material);
}

/** DER SubjectPublicKeyInfo of stored material. */
export function publicKeySpki(algorithm: number, material: Uint8Array): Uint8Array {
  return encodeSpki(algorithm, rawPublicKey(algorithm, material));
}

/** node public KeyObject of stored material. */
export function publicKeyObject(algorithm: number, material: Uint8Array): KeyObject {
  return publicKeyObjectFromRaw(algorithm, rawPublicKey(algorithm, material));
}

/** Stored form (algorithm + material) of a node private KeyObject; throws for keys a YubiHSM 2 cannot hold. */
export function rawFromPrivateKeyObject(key: KeyObject): RawPrivateKey {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  try {
    return parsePkcs8(new Uint8Array(der));
  } finally {
    der.fill(0);
  }
}

/** PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`) of a node key. */
export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ format: 'pem', type: 'spki' }) as string;
}

/** Narrowing helper for callers holding an unknown number. */
export function asKeyAlgorithm(algorithm: number): KeyAlgorithm {
  assertKeyAlgorithm(algorithm);
  return algorithm;
}
