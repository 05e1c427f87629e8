/**
 * The RSA-AES key-wrap envelope of GetRsaWrappedKey / PutRsaWrappedKey (0x74 / 0x75) and ExportRsaWrapped /
 * ImportRsaWrapped (0x76 / 0x77), PROTOCOL.md 6.1:
 *
 *   blob = C1 ‖ C2,  C1 = RSAES-OAEP(public wrap key, K_eph; OAEP hash, MGF1 hash, lHash)   (k bytes)
 *                    C2 = AES-KWP(K_eph, payload)                                           (RFC 5649)
 *
 * With aes256 + OAEP SHA-256 + MGF1 SHA-256 + SHA-256("") this is PKCS#11 CKM_RSA_AES_KEY_WRAP and AWS KMS
 * RSA_AES_KEY_WRAP_SHA_256 (KMS-SPEC.md 2). Unwrapping fails with one error whatever went wrong, so it gives no
 * padding oracle.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { ProtocolError, UsageError } from '../errors.js';
import { aesKeySizes, algorithmName, mgf1Hashes, oaepHashes, type HashName } from '../protocol/algorithms.js';
import { kwpUnwrap, kwpWrap } from './kwp.js';
import { oaepLabelHash, rsaModulusBytes, rsaOaepDecrypt, rsaOaepEncrypt } from './rsa-oaep.js';

export interface RsaAesWrapParams {
  /** Ephemeral AES key size. */
  readonly aesBits: 128 | 192 | 256;
  /** OAEP hash. */
  readonly oaepHash: HashName;
  /** MGF1 hash. */
  readonly mgf1Hash: HashName;
  /** OAEP label hash; default: oaepHash of the empty label (what libyubihsm and KMS use). */
  readonly lHash?: Uint8Array;
}

/** Unwrap parameters; `aesBits` is optional (the device infers the AES size from the decrypted key length). */
export type RsaAesUnwrapParams = Omit<RsaAesWrapParams, 'aesBits'> & { readonly aesBits?: 128 | 192 | 256 };

/** The blob does not unwrap (wrong key, wrong parameters, tampered data). Device answer: INVALID_DATA. */
export class RsaAesUnwrapError extends ProtocolError {
  constructor() {
    super(
      'RSA_AES_UNWRAP_FAILED',
      'The RSA-wrapped blob does not unwrap with this key and these OAEP/MGF1/label parameters; check the wrap key and the algorithms used to wrap.',
      0x02,
    );
  }
}

/** AWS KMS RSA_AES_KEY_WRAP_SHA_256 / yubihsm-shell defaults: aes256, rsa-oaep-sha256, mgf1-sha256, empty label. */
export const RSA_AES_KEY_WRAP_SHA_256: RsaAesWrapParams = Object.freeze({ aesBits: 256, oaepHash: 'sha256', mgf1Hash: 'sha256' });
/** AWS KMS RSA_AES_KEY_WRAP_SHA_1: aes256, rsa-oaep-sha1, mgf1-sha1, empty label. */
export const RSA_AES_KEY_WRAP_SHA_1: RsaAesWrapParams = Object.freeze({ aesBits: 256, oaepHash: 'sha1', mgf1Hash: 'sha1' });

/**
 * Parameters from the YubiHSM selector bytes of 0x74 (PROTOCOL.md 5.8): Aaes 50/51/52, Aoaep 25-28, Amgf 32-35,
 * and the lHash as sent. Throws ProtocolError INVALID_DATA for other values or an lHash of the wrong length.
 */
export function rsaAesParamsFromSelectors(aes: number, oaep: number, mgf1: number, lHash: Uint8Array): RsaAesWrapParams {
  const params = rsaOaepParamsFromSelectors(oaep, mgf1, lHash);
  if (aes !== 50 && aes !== 51 && aes !== 52) {
    throw new ProtocolError('BAD_WRAP_ALGORITHM', `Ephemeral key algorithm ${algorithmName(aes)} (${aes}) must be aes128, aes192 or aes256.`);
  }
  return { ...params, aesBits: ((aesKeySizes[aes] as number) * 8) as 128 | 192 | 256 };
}

/** Unwrap parameters from the selector bytes of 0x75/0x77 (OAEP 25-28, MGF1 32-35, lHash). */
export function rsaOaepParamsFromSelectors(oaep: number, mgf1: number, lHash: Uint8Array): RsaAesUnwrapParams {
  const oaepHash = (oaepHashes as Record<number, HashName | undefined>)[oaep];
  const mgf1Hash = (mgf1Hashes as Record<number, HashName | undefined>)[mgf1];
  if (!oaepHash) throw new ProtocolError('BAD_WRAP_ALGORITHM', `OAEP algorithm ${algorithmName(oaep)} (${oaep}) must be one of rsa-oaep-sha1/256/384/512.`);
  if (!mgf1Hash) throw new ProtocolError('BAD_WRAP_ALGORITHM', `MGF1 algorithm ${algorithmName(mgf1)} (${mgf1}) must be one of mgf1-sha1/256/384/512.`);
  const want = oaepLabelHash(oaepHash).length;
  if (lHash.length !== want) {
    throw new ProtocolError('BAD_LABEL_HASH', `The label hash is ${lHash.length} bytes; ${algorithmName(oaep)} needs ${want}.`, 0x08);
  }
  return { oaepHash, mgf1Hash, lHash: lHash.slice() };
}

/** Wraps `payload` (PKCS#8, raw AES key, ...) for the holder of the RSA private key: returns C1 ‖ C2. */
export function rsaAesWrap(publicKey: KeyObject, payload: Uint8Array, params: RsaAesWrapParams): Uint8Array {
  if (params.aesBits !== 128 && params.aesBits !== 192 && params.aesBits !== 256) {
    throw new UsageError('BAD_AES_BITS', `The ephemeral AES key must be 128, 192 or 256 bits, got ${String(params.aesBits)}.`);
  }
  if (payload.length < 1) throw new UsageError('EMPTY_PAYLOAD', 'Nothing to wrap: the payload is empty.');
  const ephemeral = new Uint8Array(randomBytes(params.aesBits / 8));
  try {
    const c1 = rsaOaepEncrypt(publicKey, ephemeral, { hash: params.oaepHash, mgf1Hash: params.mgf1Hash, lHash: params.lHash });
    const c2 = kwpWrap(ephemeral, payload);
    const blob = new Uint8Array(c1.length + c2.length);
    blob.set(c1, 0);
    blob.set(c2, c1.length);
    return blob;
  } finally {
    ephemeral.fill(0);
  }
}

/**
 * Unwraps C1 ‖ C2 with the RSA private key. Returns the payload and the ephemeral AES key (callers should wipe both
 * after use). Throws RsaAesUnwrapError (RSA_AES_UNWRAP_FAILED) for every failure of the blob.
 */
export function rsaAesUnwrap(privateKey: KeyObject, blob: Uint8Array, params: RsaAesUnwrapParams): { payload: Uint8Array; ephemeralKey: Uint8Array } {
  const k = rsaModulusBytes(privateKey);
  // C2 is at least 16 bytes (RFC 5649 output for a 1..8-byte payload).
  if (blob.length < k + 16) throw new RsaAesUnwrapError();
  const ephemeralKey = rsaOaepDecrypt(privateKey, blob.subarray(0, k), { hash: params.oaepHash, mgf1Hash: params.mgf1Hash, lHash: params.lHash });
  const sizeOk = ephemeralKey !== undefined && (params.aesBits === undefined ? [16, 24, 32].includes(ephemeralKey.length) : ephemeralKey.length === params.aesBits / 8);
  const payload = sizeOk ? kwpUnwrap(ephemeralKey, blob.subarray(k)) : undefined;
  if (payload === undefined) {
    ephemeralKey?.fill(0);
    throw new RsaAesUnwrapError();
  }
  return { payload, ephemeralKey: ephemeralKey as Uint8Array };
}
