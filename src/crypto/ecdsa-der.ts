/**
 * ECDSA signature encodings: DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 2.2.3; what
 * YubiHSM SignEcdsa 0x56 returns and KMS Sign/Verify use) <-> raw r‖s with each half the curve's field size
 * (IEEE P1363, JOSE, WebCrypto). The size always comes from the curve, never from the bytes. Decoding is strict:
 * one SEQUENCE of two minimal positive INTEGERs, 1 ≤ r, s < n, nothing trailing.
 */
import { ProtocolError } from '../errors.js';
import { ecCurves, type EcAlgorithm } from '../protocol/algorithms.js';
import { derInteger, derSequence } from './der.js';
import { derSequenceReader } from './der-reader.js';
import { bigIntToBytes, bytesToBigInt, curveParams, ecdsaSignDigest, ecdsaVerifyDigest, type CurveName } from './ecdsa.js';

/** A curve by OpenSSL name (`prime256v1`) or by YubiHSM EC key algorithm (12-18, 47). */
export type EcCurve = CurveName | EcAlgorithm;

export interface EcdsaSignature {
  readonly r: bigint;
  readonly s: bigint;
}

function params(curve: EcCurve): { name: CurveName; n: bigint; size: number } {
  const name = typeof curve === 'number' ? ecCurves[curve]?.nodeCurve : curve;
  const p = name === undefined ? undefined : curveParams[name];
  if (!p || name === undefined) throw new RangeError(`Unknown curve ${String(curve)}.`);
  return { name, n: p.n, size: p.size };
}

function checkRange(sig: EcdsaSignature, n: bigint, name: string): void {
  if (sig.r <= 0n || sig.r >= n || sig.s <= 0n || sig.s >= n) {
    throw new ProtocolError('ECDSA_SIGNATURE_RANGE', `ECDSA signature values r and s must lie in [1, n−1] for ${name}; the signature is invalid.`);
  }
}

/** DER encoding of (r, s). */
export function ecdsaSignatureToDer(sig: EcdsaSignature, curve?: EcCurve): Uint8Array {
  if (curve !== undefined) {
    const { n, name } = params(curve);
    checkRange(sig, n, name);
  } else if (sig.r <= 0n || sig.s <= 0n) {
    throw new ProtocolError('ECDSA_SIGNATURE_RANGE', 'ECDSA signature values r and s must be positive; the signature is invalid.');
  }
  return derSequence(derInteger(sig.r), derInteger(sig.s));
}

/** Strict DER decoding; r and s are checked against the curve order. */
export function ecdsaDerDecode(der: Uint8Array, curve: EcCurve): EcdsaSignature {
  const { n, name } = params(curve);
  const r = derSequenceReader(der, 'ECDSA-Sig-Value');
  const rValue = r.integer('r');
  const sValue = r.integer('s');
  r.end();
  const sig = { r: rValue, s: sValue };
  checkRange(sig, n, name);
  return sig;
}

/** Raw r‖s (2 × field size) -> DER. */
export function ecdsaRawToDer(raw: Uint8Array, curve: EcCurve): Uint8Array {
  const { size, name } = params(curve);
  if (raw.length !== 2 * size) {
    throw new ProtocolError('ECDSA_SIGNATURE_LENGTH', `A raw ${name} signature is ${2 * size} bytes (r‖s), got ${raw.length}.`, 0x08);
  }
  return ecdsaSignatureToDer({ r: bytesToBigInt(raw.subarray(0, size)), s: bytesToBigInt(raw.subarray(size)) }, curve);
}

/** DER -> raw r‖s, each left-padded to the field size. */
export function ecdsaDerToRaw(der: Uint8Array, curve: EcCurve): Uint8Array {
  const { size } = params(curve);
  const { r, s } = ecdsaDerDecode(der, curve);
  const out = new Uint8Array(2 * size);
  out.set(bigIntToBytes(r, size), 0);
  out.set(bigIntToBytes(s, size), size);
  return out;
}

/** Signs a digest with private scalar d (ecdsa.ts) and returns the DER signature SignEcdsa answers with. */
export function ecdsaSignDigestDer(curve: EcCurve, d: Uint8Array, digest: Uint8Array): Uint8Array {
  const { name } = params(curve);
  return ecdsaSignatureToDer(ecdsaSignDigest(name, d, digest), name);
}

/**
 * Verifies a DER signature over a digest with an uncompressed public point 04‖X‖Y (P-256, P-384, P-521, secp256k1:
 * the curves of ecdsa.ts's verifier). Malformed signatures verify as false.
 */
export function ecdsaVerifyDigestDer(curve: EcCurve, publicPoint: Uint8Array, digest: Uint8Array, der: Uint8Array): boolean {
  const { name } = params(curve);
  let sig: EcdsaSignature;
  try {
    sig = ecdsaDerDecode(der, name);
  } catch {
    return false;
  }
  return ecdsaVerifyDigest(name, publicPoint, digest, sig);
}
