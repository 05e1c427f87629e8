/**
 * Bodies of AES-CCM wrapped objects (ExportWrapped 0x4A / ImportWrapped 0x4B, format 0), PROTOCOL.md 5.5, layout
 * from Yubico's `yubihsm-wrap` (yhwrap) tool, and their inverses. The 59-byte header is in
 * src/protocol/wrapped-object.ts.
 *
 *   authentication key (38)  delegated(8) ‖ K-ENC(16) ‖ K-MAC(16)
 *   AES wrap key (29/41/42)  delegated(8) ‖ key(16/24/32)
 *   RSA (9/10/11)            p ‖ q ‖ dP ‖ dQ ‖ qInv (k/2 each) ‖ n (k)
 *   EC                       d ‖ X ‖ Y (f each)
 *   Ed25519 (46)             s ‖ prefix ‖ A: s = clamped first half of SHA-512(seed), byte-reversed (big-endian);
 *                            prefix = second half; A = public key. The seed cannot be recovered from it, so the
 *                            inverse gives the expanded key, which `ed25519SignExpanded` can sign with.
 *   HMAC (19-22)             (key ‖ zeros to block size B) ⊕ 0x36… ‖ same ⊕ 0x5C…; the inverse gives the key
 *                            zero-padded to B, which computes the same HMAC as the original key.
 */
import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  aesKeySizes,
  algorithmName,
  hmacAlgorithms,
  isEcAlgorithm,
  isHmacAlgorithm,
  isRsaAlgorithm,
  rsaSizes,
  type EcAlgorithm,
  type RsaAlgorithm,
} from '../protocol/algorithms.js';
import { concat } from '../protocol/bytes.js';
import { bigIntToBytes, bytesToBigInt } from './ecdsa.js';
import {
  assertKeyAlgorithm,
  checkEcScalar,
  ecPublicXY,
  ed25519PublicFromSeed,
  KeyMaterialError,
  materialLength,
  rsaMaterialFromPrimes,
  rsaPartsFromMaterial,
  rsaPartsFromPrimes,
} from './key-material.js';

function lengthError(what: string, want: number, got: number): KeyMaterialError {
  return new KeyMaterialError('WRAP_BODY_LENGTH', `A wrapped ${what} body is ${want} bytes, got ${got}; the object is corrupt or of another type.`);
}

function inconsistent(what: string): KeyMaterialError {
  return new KeyMaterialError('WRAP_BODY_INCONSISTENT', `The wrapped ${what} body is internally inconsistent; the object is corrupt.`);
}

/** `delegated(8) ‖ parts`: the start of every body of a key that carries delegated capabilities. */
export function withDelegated(delegated: bigint, ...parts: Uint8Array[]): Uint8Array {
  if (delegated < 0n || delegated > 0xffffffffffffffffn) throw new KeyMaterialError('BAD_CAPABILITIES', 'Delegated capabilities are a u64.');
  return concat(bigIntToBytes(delegated, 8), ...parts);
}

/** The delegated capabilities in the first 8 bytes of such a body. */
export function delegatedOf(body: Uint8Array): bigint {
  return bytesToBigInt(body.subarray(0, 8));
}

// ---------------------------------------------------------------- authentication and AES wrap keys

export function authKeyBody(delegated: bigint, encKey: Uint8Array, macKey: Uint8Array): Uint8Array {
  if (encKey.length !== 16 || macKey.length !== 16) throw lengthError('authentication key (K-ENC, K-MAC)', 32, encKey.length + macKey.length);
  return withDelegated(delegated, encKey, macKey);
}

export function parseAuthKeyBody(body: Uint8Array): { delegated: bigint; encKey: Uint8Array; macKey: Uint8Array } {
  if (body.length !== 40) throw lengthError('authentication key', 40, body.length);
  return { delegated: delegatedOf(body), encKey: body.slice(8, 24), macKey: body.slice(24, 40) };
}

export function aesWrapKeyBody(delegated: bigint, key: Uint8Array): Uint8Array {
  if (![16, 24, 32].includes(key.length)) throw lengthError('AES wrap key', 8 + 32, 8 + key.length);
  return withDelegated(delegated, key);
}

/** `algorithm` (29/41/42) fixes the key size. */
export function parseAesWrapKeyBody(algorithm: number, body: Uint8Array): { delegated: bigint; key: Uint8Array } {
  const size = algorithm === 29 || algorithm === 41 || algorithm === 42 ? aesKeySizes[algorithm] : undefined;
  if (size === undefined) throw new KeyMaterialError('BAD_WRAP_ALGORITHM', `Algorithm ${algorithmName(algorithm)} is not an AES-CCM wrap key.`);
  if (body.length !== 8 + size) throw lengthError(`${algorithmName(algorithm)} key`, 8 + size, body.length);
  return { delegated: delegatedOf(body), key: body.slice(8) };
}

// ---------------------------------------------------------------- RSA and EC

/** p ‖ q ‖ dP ‖ dQ ‖ qInv ‖ n from the stored p ‖ q. */
export function rsaKeyBody(algorithm: RsaAlgorithm, material: Uint8Array): Uint8Array {
  const parts = rsaPartsFromMaterial(algorithm, material);
  const half = parts.k / 2;
  return concat(
    material,
    bigIntToBytes(parts.dP, half),
    bigIntToBytes(parts.dQ, half),
    bigIntToBytes(parts.qInv, half),
    bigIntToBytes(parts.n, parts.k),
  );
}

/** Stored p ‖ q from a body; dP, dQ, qInv and n must agree with the primes. */
export function rsaMaterialFromBody(algorithm: RsaAlgorithm, body: Uint8Array): Uint8Array {
  const k = rsaSizes[algorithm];
  const half = k / 2;
  if (body.length !== 3.5 * k) throw lengthError(algorithmName(algorithm), 3.5 * k, body.length);
  const field = (i: number) => bytesToBigInt(body.subarray(i * half, (i + 1) * half));
  const parts = rsaPartsFromPrimes(algorithm, field(0), field(1));
  if (parts.dP !== field(2) || parts.dQ !== field(3) || parts.qInv !== field(4) || parts.n !== bytesToBigInt(body.subarray(5 * half))) {
    throw inconsistent(algorithmName(algorithm));
  }
  return rsaMaterialFromPrimes(algorithm, parts.p, parts.q);
}

/** d ‖ X ‖ Y. */
export function ecKeyBody(algorithm: EcAlgorithm, d: Uint8Array): Uint8Array {
  return concat(d, ecPublicXY(algorithm, d));
}

/** d from d ‖ X ‖ Y; X ‖ Y must be d's public point. */
export function ecMaterialFromBody(algorithm: EcAlgorithm, body: Uint8Array): Uint8Array {
  const f = materialLength(algorithm);
  if (body.length !== 3 * f) throw lengthError(algorithmName(algorithm), 3 * f, body.length);
  const d = body.slice(0, f);
  checkEcScalar(algorithm, d);
  if (!Buffer.from(ecPublicXY(algorithm, d)).equals(Buffer.from(body.subarray(f)))) throw inconsistent(algorithmName(algorithm));
  return d;
}

// ---------------------------------------------------------------- Ed25519

/** The expanded Ed25519 key of RFC 8032 5.1.5. */
export interface Ed25519ExpandedKey {
  /** Clamped secret scalar s, little-endian as RFC 8032 uses it. */
  readonly scalar: Uint8Array;
  /** Second half of SHA-512(seed), used to derive nonces. */
  readonly prefix: Uint8Array;
  /** Public key A = s·B. */
  readonly publicKey: Uint8Array;
}

function expand(seed: Uint8Array): { scalar: Uint8Array; prefix: Uint8Array } {
  const h = createHash('sha512').update(seed).digest();
  const scalar = new Uint8Array(h.subarray(0, 32));
  scalar[0] &= 248;
  scalar[31] &= 127;
  scalar[31] |= 64;
  const prefix = new Uint8Array(h.subarray(32));
  h.fill(0);
  return { scalar, prefix };
}

/** s (big-endian) ‖ prefix ‖ A. */
export function ed25519KeyBody(seed: Uint8Array): Uint8Array {
  const publicKey = ed25519PublicFromSeed(seed);
  const { scalar, prefix } = expand(seed);
  const body = concat(scalar.slice().reverse(), prefix, publicKey);
  scalar.fill(0);
  prefix.fill(0);
  return body;
}

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function littleEndianToBigInt(b: Uint8Array): bigint {
  return bytesToBigInt(b.slice().reverse());
}

/** Expanded key from s ‖ prefix ‖ A; A must equal s·B. */
export function parseEd25519Body(body: Uint8Array): Ed25519ExpandedKey {
  if (body.length !== 96) throw lengthError('ed25519 key', 96, body.length);
  const scalar = body.slice(0, 32).reverse();
  const s = littleEndianToBigInt(scalar);
  const publicKey = body.slice(64);
  const sMod = s % L;
  if (sMod === 0n || !Buffer.from(ed25519.Point.BASE.multiply(sMod).toBytes()).equals(Buffer.from(publicKey))) {
    throw inconsistent('ed25519');
  }
  return { scalar, prefix: body.slice(32, 64), publicKey };
}

function leBytes(v: bigint, size: number): Uint8Array {
  return bigIntToBytes(v, size).reverse();
}

/** Pure Ed25519 (RFC 8032 5.1.6) with an expanded key: what a device holding only s ‖ prefix ‖ A can do. */
export function ed25519SignExpanded(key: Ed25519ExpandedKey, message: Uint8Array): Uint8Array {
  const s = littleEndianToBigInt(key.scalar) % L;
  const r = littleEndianToBigInt(new Uint8Array(createHash('sha512').update(key.prefix).update(message).digest())) % L;
  const R = (r === 0n ? ed25519.Point.ZERO : ed25519.Point.BASE.multiply(r)).toBytes();
  const k = littleEndianToBigInt(new Uint8Array(createHash('sha512').update(R).update(key.publicKey).update(message).digest())) % L;
  const S = (r + k * s) % L;
  return concat(R, leBytes(S, 32));
}

// ---------------------------------------------------------------- HMAC

/** ipad ‖ opad form of an HMAC key (1..B bytes). */
export function hmacKeyBody(algorithm: number, key: Uint8Array): Uint8Array {
  if (!isHmacAlgorithm(algorithm)) throw new KeyMaterialError('NOT_HMAC_ALGORITHM', `Algorithm ${algorithmName(algorithm)} is not an HMAC key algorithm.`);
  const B = hmacAlgorithms[algorithm].block;
  if (key.length < 1 || key.length > B) {
    throw new KeyMaterialError('HMAC_KEY_LENGTH', `A ${algorithmName(algorithm)} key is 1 to ${B} bytes, got ${key.length}.`);
  }
  const out = new Uint8Array(2 * B);
  for (let i = 0; i < B; i++) {
    const k = i < key.length ? key[i] : 0;
    out[i] = k ^ 0x36;
    out[B + i] = k ^ 0x5c;
  }
  return out;
}

/** The key zero-padded to the block size B (HMAC-equivalent to the original key); both halves must agree. */
export function hmacKeyFromBody(algorithm: number, body: Uint8Array): Uint8Array {
  if (!isHmacAlgorithm(algorithm)) throw new KeyMaterialError('NOT_HMAC_ALGORITHM', `Algorithm ${algorithmName(algorithm)} is not an HMAC key algorithm.`);
  const B = hmacAlgorithms[algorithm].block;
  if (body.length !== 2 * B) throw lengthError(algorithmName(algorithm), 2 * B, body.length);
  const key = new Uint8Array(B);
  let diff = 0;
  for (let i = 0; i < B; i++) {
    key[i] = body[i] ^ 0x36;
    diff |= key[i] ^ body[B + i] ^ 0x5c;
  }
  if (diff !== 0) {
    key.fill(0);
    throw inconsistent(algorithmName(algorithm));
  }
  return key;
}

// ---------------------------------------------------------------- any asymmetric key

/** Body of an asymmetric key from its stored material (RSA p‖q, EC d, Ed25519 seed). */
export function asymmetricKeyBody(algorithm: number, material: Uint8Array): Uint8Array {
  assertKeyAlgorithm(algorithm);
  if (isRsaAlgorithm(algorithm)) return rsaKeyBody(algorithm, material);
  if (isEcAlgorithm(algorithm)) return ecKeyBody(algorithm, material);
  return ed25519KeyBody(material);
}
