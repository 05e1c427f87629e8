/**
 * ECDSA over a digest the caller already computed (a YubiHSM SignEcdsa payload, a KMS DIGEST message).
 * node:crypto always hashes its input, so signing uses OpenSSL's scalar multiplication through ECDH
 * (R = k·G) and computes s = k⁻¹(z + r·d) mod n with BigInt; any curve OpenSSL has works, and it runs at
 * OpenSSL speed. Verification of a digest uses @noble/curves (NIST curves and secp256k1).
 * Not constant-time in the BigInt part: fine for a simulator and a local test server, not for an HSM.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';

/** Curve names as OpenSSL knows them, with the group order n and the field size in bytes. */
export const curveParams = {
  prime256v1: { n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, size: 32 },
  secp384r1: {
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    size: 48,
  },
  secp521r1: {
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    size: 66,
  },
  secp256k1: { n: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n, size: 32 },
  secp224r1: { n: 0xffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3dn, size: 28 },
  brainpoolP256r1: { n: 0xa9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7n, size: 32 },
  brainpoolP384r1: {
    n: 0x8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7cf3ab6af6b7fc3103b883202e9046565n,
    size: 48,
  },
  brainpoolP512r1: {
    n: 0xaadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069n,
    size: 64,
  },
} as const;
export type CurveName = keyof typeof curveParams;

export function bytesToBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex'));
}

export function bigIntToBytes(v: bigint, size: number): Uint8Array {
  const h = v.toString(16).padStart(size * 2, '0');
  if (h.length > size * 2) throw new RangeError(`Integer does not fit in ${size} bytes.`);
  return new Uint8Array(Buffer.from(h, 'hex'));
}

function mod(a: bigint, n: bigint): bigint {
  const r = a % n;
  return r < 0n ? r + n : r;
}

/** Modular inverse by the extended Euclidean algorithm (n prime, a ≠ 0 mod n). */
export function modInverse(a: bigint, n: bigint): bigint {
  let [oldR, r] = [mod(a, n), n];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, n);
}

/** The integer z of FIPS 186-5 6.4.1: the leftmost bitlen(n) bits of the digest. */
function digestToInteger(digest: Uint8Array, n: bigint): bigint {
  const nBits = n.toString(2).length;
  let z = bytesToBigInt(digest);
  const dBits = digest.length * 8;
  if (dBits > nBits) z >>= BigInt(dBits - nBits);
  return z;
}

/**
 * Speed (bench/hsm-sign.ts): one ECDH object per curve is reused for R = k·G (creating one costs more than the
 * multiplication), and nonces come from a per-curve pool of (k, k⁻¹ mod n) filled 64 at a time with a single
 * modular inversion (Montgomery's batch-inversion trick), since a BigInt inversion costs several times an
 * OpenSSL scalar multiplication. Each nonce is used once and removed from the pool.
 */
const ecdhByCurve = new Map<CurveName, ReturnType<typeof createECDH>>();
const noncePools = new Map<CurveName, { k: bigint; kInv: bigint }[]>();
const NONCE_BATCH = 64;

function nextNonce(curve: CurveName, n: bigint, size: number): { k: bigint; kInv: bigint } {
  let pool = noncePools.get(curve);
  if (!pool || pool.length === 0) {
    const ks: bigint[] = [];
    const prefix: bigint[] = [];
    let acc = 1n;
    for (let i = 0; i < NONCE_BATCH; i++) {
      const k = mod(bytesToBigInt(randomBytes(size + 8)), n - 1n) + 1n;
      ks.push(k);
      acc = (acc * k) % n;
      prefix.push(acc);
    }
    let inv = modInverse(acc, n); // (k_0 · … · k_{m-1})⁻¹
    pool = new Array(NONCE_BATCH);
    for (let i = NONCE_BATCH - 1; i >= 0; i--) {
      pool[i] = { k: ks[i], kInv: i === 0 ? inv : (inv * prefix[i - 1]) % n };
      inv = (inv * ks[i]) % n;
    }
    noncePools.set(curve, pool);
  }
  return pool.pop()!;
}

/** Signs a digest with private scalar `d`; returns r and s. */
export function ecdsaSignDigest(curve: CurveName, d: Uint8Array, digest: Uint8Array): { r: bigint; s: bigint } {
  const { n, size } = curveParams[curve];
  const dInt = bytesToBigInt(d);
  if (dInt <= 0n || dInt >= n) throw new RangeError('Private scalar is out of range for the curve.');
  const z = digestToInteger(digest, n);
  let ecdh = ecdhByCurve.get(curve);
  if (!ecdh) {
    ecdh = createECDH(curve);
    ecdhByCurve.set(curve, ecdh);
  }
  for (;;) {
    const { k, kInv } = nextNonce(curve, n, size);
    ecdh.setPrivateKey(Buffer.from(bigIntToBytes(k, size)));
    const point = ecdh.getPublicKey();
    const r = mod(bytesToBigInt(point.subarray(1, 1 + size)), n);
    if (r === 0n) continue;
    const s = mod(kInv * (z + r * dInt), n);
    if (s === 0n) continue;
    return { r, s };
  }
}

const nobleCurves = { prime256v1: p256, secp384r1: p384, secp521r1: p521, secp256k1: secp256k1 } as const;

/** Verifies (r, s) over a digest with an uncompressed public point. Supports the NIST curves and secp256k1. */
export function ecdsaVerifyDigest(
  curve: CurveName,
  publicPoint: Uint8Array,
  digest: Uint8Array,
  sig: { r: bigint; s: bigint },
): boolean {
  const impl = (nobleCurves as Record<string, typeof p256 | undefined>)[curve];
  if (!impl) throw new RangeError(`Digest verification is not available for curve ${curve}.`);
  const { n, size } = curveParams[curve];
  if (sig.r <= 0n || sig.r >= n || sig.s <= 0n || sig.s >= n) return false;
  const compact = new Uint8Array(2 * size);
  compact.set(bigIntToBytes(sig.r, size), 0);
  compact.set(bigIntToBytes(sig.s, size), size);
  try {
    return impl.verify(compact, digest, publicPoint, { prehash: false, lowS: false, format: 'compact' });
  } catch {
    return false;
  }
}
