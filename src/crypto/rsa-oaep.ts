/**
 * RSAES-OAEP (RFC 8017 7.1) with an OAEP hash and an MGF1 hash chosen independently and the label given as its
 * hash lHash, as the YubiHSM 2 takes them (DecryptOaep 0x59, GetRsaWrappedKey 0x74, PutRsaWrappedKey 0x75:
 * PROTOCOL.md 5.4, 5.8, 6.1; the device never sees the label, only lHash). node:crypto's built-in OAEP ties MGF1 to
 * the OAEP hash and takes a label, so the encoding is done here and RSA is applied raw (RSA_NO_PADDING).
 *
 * Decoding returns `undefined` for every kind of failure (RFC 8017 7.1.2 note: one error, no hint which check
 * failed) and evaluates all checks without data-dependent early exits.
 */
import { constants, createHash, privateDecrypt, publicEncrypt, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { UsageError } from '../errors.js';
import { hashLengths, type HashName } from '../protocol/algorithms.js';
import { takeBytes } from './owned-bytes.js';


export interface OaepParams {
  /** OAEP hash (lHash length, seed length). */
  readonly hash: HashName;
  /** Hash inside MGF1. */
  readonly mgf1Hash: HashName;
  /** Hash of the label; default: hash of the empty label. Must be `hashLengths[hash]` bytes. */
  readonly lHash?: Uint8Array;
}

function checkHash(name: string, what: string): asserts name is HashName {
  if (!(name in hashLengths)) {
    throw new UsageError('UNSUPPORTED_HASH', `${what} "${name}" is not supported; use sha1, sha256, sha384 or sha512.`);
  }
}

/** Hash of a label (the empty label by default): what the host sends as lHash. */
export function oaepLabelHash(hash: HashName, label: Uint8Array = new Uint8Array(0)): Uint8Array {
  checkHash(hash, 'OAEP hash');
  return new Uint8Array(createHash(hash).update(label).digest());
}

/** MGF1 (RFC 8017 B.2.1). */
export function mgf1(hash: HashName, seed: Uint8Array, length: number): Uint8Array {
  checkHash(hash, 'MGF1 hash');
  const hLen = hashLengths[hash];
  const out = new Uint8Array(Math.ceil(length / hLen) * hLen);
  const counter = new Uint8Array(4);
  for (let i = 0, off = 0; off < length; i++, off += hLen) {
    counter[0] = i >>> 24;
    counter[1] = (i >>> 16) & 0xff;
    counter[2] = (i >>> 8) & 0xff;
    counter[3] = i & 0xff;
    out.set(createHash(hash).update(seed).update(counter).digest(), off);
  }
  return out.subarray(0, length);
}

function resolve(params: OaepParams, k: number): { hLen: number; lHash: Uint8Array } {
  checkHash(params.hash, 'OAEP hash');
  checkHash(params.mgf1Hash, 'MGF1 hash');
  const hLen = hashLengths[params.hash];
  const lHash = params.lHash ?? oaepLabelHash(params.hash);
  if (lHash.length !== hLen) {
    throw new UsageError('OAEP_LHASH_LENGTH', `lHash is ${lHash.length} bytes but ${params.hash} needs ${hLen}; hash the label with the OAEP hash.`);
  }
  if (k < 2 * hLen + 2) throw new UsageError('OAEP_KEY_TOO_SMALL', `A ${k}-byte RSA key is too small for OAEP with ${params.hash}.`);
  return { hLen, lHash };
}

/** EME-OAEP encoding (RFC 8017 7.1.1 step 2) into k bytes. `seed` (hLen bytes) is for known-answer tests only. */
export function oaepEncode(message: Uint8Array, k: number, params: OaepParams, seed?: Uint8Array): Uint8Array {
  const { hLen, lHash } = resolve(params, k);
  if (message.length > k - 2 * hLen - 2) {
    throw new UsageError('OAEP_MESSAGE_TOO_LONG', `OAEP with a ${k}-byte key and ${params.hash} carries at most ${k - 2 * hLen - 2} bytes, got ${message.length}.`);
  }
  const db = new Uint8Array(k - hLen - 1);
  db.set(lHash, 0);
  db[db.length - message.length - 1] = 0x01;
  db.set(message, db.length - message.length);
  const s = seed ?? new Uint8Array(randomBytes(hLen));
  if (s.length !== hLen) throw new UsageError('OAEP_SEED_LENGTH', `The OAEP seed must be ${hLen} bytes.`);
  const dbMask = mgf1(params.mgf1Hash, s, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= dbMask[i];
  const seedMask = mgf1(params.mgf1Hash, db, hLen);
  const em = new Uint8Array(k);
  for (let i = 0; i < hLen; i++) em[1 + i] = s[i] ^ seedMask[i];
  em.set(db, 1 + hLen);
  return em;
}

/** EME-OAEP decoding (RFC 8017 7.1.2 step 3); `undefined` on any failure. */
export function oaepDecode(em: Uint8Array, k: number, params: OaepParams): Uint8Array | undefined {
  const { hLen, lHash } = resolve(params, k);
  if (em.length !== k) return undefined;
  const maskedSeed = em.subarray(1, 1 + hLen);
  const maskedDb = em.subarray(1 + hLen);
  const seedMask = mgf1(params.mgf1Hash, maskedDb, hLen);
  const seed = new Uint8Array(hLen);
  for (let i = 0; i < hLen; i++) seed[i] = maskedSeed[i] ^ seedMask[i];
  const dbMask = mgf1(params.mgf1Hash, seed, maskedDb.length);
  const db = new Uint8Array(maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = maskedDb[i] ^ dbMask[i];

  // good = 1 while every check holds; all bytes are visited whatever their values.
  let good = timingSafeEqual(db.subarray(0, hLen), lHash) ? 1 : 0;
  good &= ((em[0] - 1) >>> 31) & 1; // em[0] == 0
  let seenOne = 0; // 1 once the 0x01 separator has been seen
  let index = 0; // position of the separator
  let badPadding = 0;
  for (let i = hLen; i < db.length; i++) {
    const b = db[i];
    const isZero = ((b - 1) >>> 31) & 1;
    const isOne = (((b ^ 1) - 1) >>> 31) & 1;
    const firstOne = isOne & (seenOne ^ 1);
    index |= -firstOne & i;
    badPadding |= (seenOne ^ 1) & (isZero ^ 1) & (isOne ^ 1);
    seenOne |= isOne;
  }
  good &= seenOne & (badPadding ^ 1);
  seed.fill(0);
  const message = db.slice(index + 1);
  db.fill(0);
  if (good !== 1) {
    message.fill(0);
    return undefined;
  }
  return message;
}

/** Modulus length in bytes of an RSA KeyObject. */
export function rsaModulusBytes(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || !bits) {
    throw new UsageError('NOT_AN_RSA_KEY', `Expected an RSA key, got ${key.asymmetricKeyType ?? key.type}; use an RSA wrap key.`);
  }
  return Math.ceil(bits / 8);
}

/** m^e mod n on k bytes. */
export function rsaPublicRaw(publicKey: KeyObject, input: Uint8Array): Uint8Array {
  return new Uint8Array(publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, input));
}

/** c^d mod n on k bytes; undefined when c ≥ n or the length is wrong. */
export function rsaPrivateRaw(privateKey: KeyObject, input: Uint8Array): Uint8Array | undefined {
  const k = rsaModulusBytes(privateKey);
  if (input.length !== k) return undefined;
  try {
    const out = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, input);
    if (out.length === k) return takeBytes(out);
    const padded = new Uint8Array(k);
    padded.set(out, k - out.length);
    out.fill(0);
    return padded;
  } catch {
    return undefined;
  }
}

/** RSAES-OAEP-ENCRYPT; output is k bytes. */
export function rsaOaepEncrypt(publicKey: KeyObject, message: Uint8Array, params: OaepParams): Uint8Array {
  const k = rsaModulusBytes(publicKey);
  const em = oaepEncode(message, k, params);
  try {
    return rsaPublicRaw(publicKey, em);
  } finally {
    em.fill(0);
  }
}

/** RSAES-OAEP-DECRYPT; `undefined` on any failure (wrong length, c ≥ n, any padding check). */
export function rsaOaepDecrypt(privateKey: KeyObject, ciphertext: Uint8Array, params: OaepParams): Uint8Array | undefined {
  const k = rsaModulusBytes(privateKey);
  resolve(params, k);
  const em = rsaPrivateRaw(privateKey, ciphertext);
  if (em === undefined) return undefined;
  try {
    return oaepDecode(em, k, params);
  } finally {
    em.fill(0);
  }
}
