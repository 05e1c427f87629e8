/**
 * Raw private key material as a YubiHSM 2 stores it (PROTOCOL.md 5.4) and the arithmetic around it:
 * RSA p‖q (each left-padded to k/2) -> n, d, dP, dQ, qInv; EC private scalar d (left-padded to f) -> public point;
 * Ed25519 32-byte seed -> public key. Shared by keys.ts, pkcs8.ts and spki.ts (kept apart so they do not import
 * each other in a circle). The public exponent is always 65537.
 */
import { ECDH, constants, createECDH, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { ProtocolError, UsageError } from '../errors.js';
import {
  Algorithm,
  algorithmName,
  ecCurves,
  isEcAlgorithm,
  isRsaAlgorithm,
  rsaSizes,
  type EcAlgorithm,
  type RsaAlgorithm,
} from '../protocol/algorithms.js';
import { bigIntToBytes, bytesToBigInt, curveParams, type CurveName } from './ecdsa.js';

/** Bytes that are not valid key material (wrong length, out of range, inconsistent). Device answer: INVALID_DATA. */
export class KeyMaterialError extends ProtocolError {
  constructor(code: string, message: string) {
    super(code, message, 0x02);
  }
}

export type Ed25519Algorithm = typeof Algorithm.EC_ED25519;
/** Every asymmetric key algorithm a YubiHSM 2 stores: RSA 9/10/11, EC 12-18 and 47, Ed25519 46. */
export type KeyAlgorithm = RsaAlgorithm | EcAlgorithm | Ed25519Algorithm;

export const RSA_PUBLIC_EXPONENT = 65537n;

export function isKeyAlgorithm(a: number): a is KeyAlgorithm {
  return isRsaAlgorithm(a) || isEcAlgorithm(a) || a === Algorithm.EC_ED25519;
}

export function assertKeyAlgorithm(a: number): asserts a is KeyAlgorithm {
  if (!isKeyAlgorithm(a)) {
    throw new UsageError(
      'NOT_A_KEY_ALGORITHM',
      `Algorithm ${algorithmName(a)} (${a}) is not an asymmetric key algorithm; use rsa2048/3072/4096, ecp224/256/384/521, eck256, ecbp256/384/512 or ed25519.`,
    );
  }
}

/** OpenSSL curve name of an EC algorithm. */
export function curveOf(alg: EcAlgorithm): CurveName {
  return ecCurves[alg].nodeCurve;
}

/** Size of the stored material: k for RSA (p‖q), f for EC (d), 32 for Ed25519. */
export function materialLength(alg: KeyAlgorithm): number {
  if (isRsaAlgorithm(alg)) return rsaSizes[alg];
  if (isEcAlgorithm(alg)) return ecCurves[alg].size;
  return 32;
}

/** Length of the GetPublicKey form: k for RSA (n), 2f for EC (X‖Y), 32 for Ed25519. */
export function publicKeyLength(alg: KeyAlgorithm): number {
  if (isRsaAlgorithm(alg)) return rsaSizes[alg];
  if (isEcAlgorithm(alg)) return 2 * ecCurves[alg].size;
  return 32;
}

function checkLength(alg: KeyAlgorithm, material: Uint8Array): void {
  const want = materialLength(alg);
  if (!(material instanceof Uint8Array) || material.length !== want) {
    throw new KeyMaterialError(
      'KEY_MATERIAL_LENGTH',
      `${algorithmName(alg)} key material must be ${want} bytes, got ${material instanceof Uint8Array ? material.length : typeof material}; check the key algorithm.`,
    );
  }
}

// --------------------------------------------------------------------------------------------------------------
// RSA
// --------------------------------------------------------------------------------------------------------------

export interface RsaKeyParts {
  /** Modulus length in bytes (256/384/512). */
  readonly k: number;
  readonly n: bigint;
  readonly e: bigint;
  readonly d: bigint;
  readonly p: bigint;
  readonly q: bigint;
  readonly dP: bigint;
  readonly dQ: bigint;
  readonly qInv: bigint;
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** a⁻¹ mod m; undefined when not invertible. */
export function modInverseOrUndefined(a: bigint, m: bigint): bigint | undefined {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const t = r0 / r1;
    [r0, r1] = [r1, r0 - t * r1];
    [s0, s1] = [s1, s0 - t * s1];
  }
  return r0 === 1n ? mod(s0, m) : undefined;
}

export function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/**
 * Derives the full RSA private key from its primes, as OpenSSL does: d = e⁻¹ mod lcm(p−1, q−1),
 * dP = d mod (p−1), dQ = d mod (q−1), qInv = q⁻¹ mod p. Checks that n has exactly 8k bits, that p and q are
 * distinct, that e = 65537 is invertible and that the key works (a raw RSA round trip).
 */
export function rsaPartsFromPrimes(alg: RsaAlgorithm, p: bigint, q: bigint): RsaKeyParts {
  const k = rsaSizes[alg];
  const e = RSA_PUBLIC_EXPONENT;
  const n = p * q;
  if (p <= 1n || q <= 1n || p === q) {
    throw new KeyMaterialError('RSA_BAD_PRIMES', `${algorithmName(alg)} primes must be two distinct primes; check the key material.`);
  }
  if (bitLength(n) !== 8 * k) {
    throw new KeyMaterialError(
      'RSA_MODULUS_SIZE',
      `The primes give a ${bitLength(n)}-bit modulus, but ${algorithmName(alg)} needs exactly ${8 * k} bits; check the key algorithm.`,
    );
  }
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInverseOrUndefined(e, lambda);
  const qInv = modInverseOrUndefined(q, p);
  if (d === undefined || qInv === undefined) {
    throw new KeyMaterialError('RSA_BAD_PRIMES', `${algorithmName(alg)} primes do not admit the public exponent 65537; check the key material.`);
  }
  const parts = { k, n, e, d, p, q, dP: d % (p - 1n), dQ: d % (q - 1n), qInv };
  // Pairwise consistency test instead of a primality test (OpenSSL's BN_check_prime costs ~110 ms per 2048-bit
  // prime whatever the round count): with a composite factor, d and the CRT values are wrong and m^(ed) ≠ m.
  if (!rsaRoundTrip(parts)) {
    throw new KeyMaterialError('RSA_BAD_PRIMES', `${algorithmName(alg)} key material does not form a working RSA key (a factor is not prime); check the key material.`);
  }
  return parts;
}

function b64u(v: bigint): string {
  return Buffer.from(bigIntToBytes(v, Math.ceil(bitLength(v) / 8))).toString('base64url');
}

/** m → m^e → (m^e)^d with OpenSSL's CRT private operation, for a fixed m; true when m comes back. */
function rsaRoundTrip(parts: RsaKeyParts): boolean {
  const key = createPrivateKey({
    key: {
      kty: 'RSA', n: b64u(parts.n), e: b64u(parts.e), d: b64u(parts.d), p: b64u(parts.p), q: b64u(parts.q),
      dp: b64u(parts.dP), dq: b64u(parts.dQ), qi: b64u(parts.qInv),
    },
    format: 'jwk',
  });
  const m = bigIntToBytes((parts.n >> 8n) ^ 0x5a5a5a5an, parts.k);
  try {
    const c = publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, m);
    return Buffer.from(m).equals(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, c));
  } catch {
    return false;
  }
}

/** Splits p‖q (each k/2 bytes) and derives the whole key. */
export function rsaPartsFromMaterial(alg: RsaAlgorithm, material: Uint8Array): RsaKeyParts {
  checkLength(alg, material);
  const half = material.length / 2;
  return rsaPartsFromPrimes(alg, bytesToBigInt(material.subarray(0, half)), bytesToBigInt(material.subarray(half)));
}

/** Modulus n = p·q of stored p‖q, checked to have exactly 8k bits (no primality test: for public-key use). */
export function rsaModulusFromMaterial(alg: RsaAlgorithm, material: Uint8Array): bigint {
  checkLength(alg, material);
  const half = material.length / 2;
  const n = bytesToBigInt(material.subarray(0, half)) * bytesToBigInt(material.subarray(half));
  if (bitLength(n) !== 16 * half) {
    throw new KeyMaterialError(
      'RSA_MODULUS_SIZE',
      `The primes give a ${bitLength(n)}-bit modulus, but ${algorithmName(alg)} needs exactly ${16 * half} bits; check the key algorithm.`,
    );
  }
  return n;
}

/** p‖q, each left-padded to k/2 bytes. */
export function rsaMaterialFromPrimes(alg: RsaAlgorithm, p: bigint, q: bigint): Uint8Array {
  const half = rsaSizes[alg] / 2;
  if (bitLength(p) > 8 * half || bitLength(q) > 8 * half) {
    throw new KeyMaterialError('RSA_UNBALANCED_PRIMES', `An RSA prime is longer than ${half} bytes; a YubiHSM stores each prime in k/2 bytes.`);
  }
  const out = new Uint8Array(2 * half);
  out.set(bigIntToBytes(p, half), 0);
  out.set(bigIntToBytes(q, half), half);
  return out;
}

/** RSA algorithm for a modulus size in bits, or undefined. */
export function rsaAlgorithmForBits(bits: number): RsaAlgorithm | undefined {
  return bits === 2048 ? 9 : bits === 3072 ? 10 : bits === 4096 ? 11 : undefined;
}

// --------------------------------------------------------------------------------------------------------------
// EC
// --------------------------------------------------------------------------------------------------------------

/** Checks 1 ≤ d < n for an f-byte scalar. */
export function checkEcScalar(alg: EcAlgorithm, d: Uint8Array): void {
  checkLength(alg, d);
  const v = bytesToBigInt(d);
  if (v <= 0n || v >= curveParams[curveOf(alg)].n) {
    throw new KeyMaterialError('EC_SCALAR_RANGE', `The ${algorithmName(alg)} private scalar is zero or not below the group order; check the key material.`);
  }
}

/** Public point X‖Y (2f bytes, no 0x04) of a private scalar. */
export function ecPublicXY(alg: EcAlgorithm, d: Uint8Array): Uint8Array {
  checkEcScalar(alg, d);
  const ecdh = createECDH(curveOf(alg));
  ecdh.setPrivateKey(Buffer.from(d));
  return new Uint8Array(ecdh.getPublicKey()).slice(1);
}

/** EC algorithm for a named-curve OID, or undefined. */
export function ecAlgorithmForOid(oid: string): EcAlgorithm | undefined {
  for (const [alg, c] of Object.entries(ecCurves)) if (c.oid === oid) return Number(alg) as EcAlgorithm;
  return undefined;
}

/**
 * Uncompressed point 04‖X‖Y from any SEC1 encoding (uncompressed, compressed or hybrid); throws
 * EC_POINT_INVALID when the bytes are not a point on the curve.
 */
export function ecUncompressedPoint(alg: EcAlgorithm, point: Uint8Array): Uint8Array {
  const f = ecCurves[alg].size;
  const okLength = point.length === 2 * f + 1 || (point.length === f + 1 && (point[0] === 2 || point[0] === 3));
  if (okLength) {
    try {
      const out = ECDH.convertKey(Buffer.from(point), curveOf(alg), undefined, undefined, 'uncompressed') as Buffer;
      return new Uint8Array(out);
    } catch {
      // fall through
    }
  }
  throw new KeyMaterialError('EC_POINT_INVALID', `The bytes are not a point on ${ecCurves[alg].nodeCurve}; check the public key and its curve.`);
}

// --------------------------------------------------------------------------------------------------------------
// Ed25519
// --------------------------------------------------------------------------------------------------------------

/** RFC 8410 PKCS#8 prefix for a 32-byte Ed25519 seed: SEQ{0, SEQ{1.3.101.112}, OCTET STRING{OCTET STRING(32)}}. */
export const ED25519_PKCS8_PREFIX = Uint8Array.from(Buffer.from('302e020100300506032b657004220420', 'hex'));
/** RFC 8410 SPKI prefix for a 32-byte Ed25519 public key. */
export const ED25519_SPKI_PREFIX = Uint8Array.from(Buffer.from('302a300506032b6570032100', 'hex'));

function ed25519PrivateKeyObject(seed: Uint8Array): KeyObject {
  const der = Buffer.concat([ED25519_PKCS8_PREFIX, seed]);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

/** The 32-byte public key A of an Ed25519 seed. */
export function ed25519PublicFromSeed(seed: Uint8Array): Uint8Array {
  checkLength(Algorithm.EC_ED25519, seed);
  const spki = createPublicKey(ed25519PrivateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(ED25519_SPKI_PREFIX.length));
}

// --------------------------------------------------------------------------------------------------------------
// Any algorithm
// --------------------------------------------------------------------------------------------------------------

/** Validates stored material for `alg` (length, range, primality); throws KeyMaterialError. */
export function checkKeyMaterial(alg: KeyAlgorithm, material: Uint8Array): void {
  if (isRsaAlgorithm(alg)) rsaPartsFromMaterial(alg, material);
  else if (isEcAlgorithm(alg)) checkEcScalar(alg, material);
  else checkLength(alg, material);
}
