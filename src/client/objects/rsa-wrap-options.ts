/**
 * Selectors of the firmware 2.4 RSA-wrap commands 0x74-0x77 (PROTOCOL.md 5.8, 6): ephemeral AES size
 * (aes128/192/256 = 50/51/52), OAEP hash (rsa-oaep-sha1/256/384/512 = 25-28), MGF1 hash (mgf1-sha1/256/384/512 =
 * 32-35) and lHash, the OAEP hash of the label (the empty label unless given). The defaults, aes256 +
 * rsa-oaep-sha256 + mgf1-sha256 + empty label, are yubihsm-shell's and AWS KMS RSA_AES_KEY_WRAP_SHA_256.
 */
import { oaepLabelHash } from '../../crypto/rsa-oaep.js';
import { UsageError } from '../../errors.js';
import type { HashName } from '../../protocol/algorithms.js';

export type HashChoice = HashName | 'sha-1' | 'sha-256' | 'sha-384' | 'sha-512';

export interface RsaUnwrapOptions {
  /** OAEP hash (default sha256); also accepts the algorithm code 25-28 or `rsa-oaep-sha256`. */
  oaepHash?: HashChoice | number | string;
  /** MGF1 hash (default sha256); also accepts 32-35 or `mgf1-sha256`. */
  mgf1Hash?: HashChoice | number | string;
  /** OAEP label (default empty); its hash is what the device receives. (Not the object label.) */
  oaepLabel?: Uint8Array;
}

export interface RsaWrapOptions extends RsaUnwrapOptions {
  /** Ephemeral AES key: aes128, aes192 or aes256 (default), or 50/51/52. */
  aes?: 'aes128' | 'aes192' | 'aes256' | 128 | 192 | 256 | 50 | 51 | 52;
}

const HASHES: readonly HashName[] = ['sha1', 'sha256', 'sha384', 'sha512'];

function hashOf(v: HashChoice | number | string | undefined, base: number, prefix: string, what: string): { hash: HashName; code: number } {
  if (v === undefined) return { hash: 'sha256', code: base + 1 };
  if (typeof v === 'number') {
    const i = v - base;
    if (i >= 0 && i < 4) return { hash: HASHES[i], code: v };
  } else {
    const name = v.trim().toLowerCase().replace(prefix, '').replace('sha-', 'sha') as HashName;
    const i = HASHES.indexOf(name);
    if (i >= 0) return { hash: name, code: base + i };
  }
  throw new UsageError('HSM_BAD_ALGORITHM', `${what} ${String(v)} is not valid; use sha1, sha256, sha384 or sha512.`);
}

export function oaepSelector(v: RsaUnwrapOptions['oaepHash']): { hash: HashName; code: number } {
  return hashOf(v, 25, 'rsa-oaep-', 'OAEP hash');
}

export function mgf1Selector(v: RsaUnwrapOptions['mgf1Hash']): number {
  return hashOf(v, 32, 'mgf1-', 'MGF1 hash').code;
}

export function aesSelector(v: RsaWrapOptions['aes']): number {
  switch (v) {
    case undefined: case 'aes256': case 256: case 52: return 52;
    case 'aes192': case 192: case 51: return 51;
    case 'aes128': case 128: case 50: return 50;
    default: throw new UsageError('HSM_BAD_ALGORITHM', `Ephemeral AES key ${String(v)} is not valid; use aes128, aes192 or aes256.`);
  }
}

/** OAEP and MGF1 selector bytes and the lHash for an unwrap (0x75, 0x77). */
export function unwrapSelectors(o: RsaUnwrapOptions = {}): { oaepAlgorithm: number; mgf1Algorithm: number; lHash: Uint8Array } {
  const oaep = oaepSelector(o.oaepHash);
  return { oaepAlgorithm: oaep.code, mgf1Algorithm: mgf1Selector(o.mgf1Hash), lHash: oaepLabelHash(oaep.hash, o.oaepLabel) };
}

/** All four selectors for a wrap (0x74, 0x76). */
export function wrapSelectors(o: RsaWrapOptions = {}): { aesAlgorithm: number; oaepAlgorithm: number; mgf1Algorithm: number; lHash: Uint8Array } {
  return { aesAlgorithm: aesSelector(o.aes), ...unwrapSelectors(o) };
}
