/**
 * RSA signatures over a digest the caller already computed: YubiHSM SignPkcs1 (0x47) and SignPss (0x55),
 * PROTOCOL.md 5.4, and KMS Sign/Verify with MessageType=DIGEST (KMS-SPEC.md 3).
 *
 * PKCS#1 v1.5 (RFC 8017 8.2 / EMSA-PKCS1-v1_5 9.2): the input is a bare digest of 20/32/48/64 bytes (the DigestInfo
 * for SHA-1/256/384/512 is added, as the device does) or a whole DigestInfo (taken as is); signing goes through
 * `privateEncrypt` with RSA_PKCS1_PADDING. EMSA-PSS (RFC 8017 9.1) is encoded here, with the message hash implied by
 * the digest length (as on the device), an independent MGF1 hash and a chosen salt length, then raw RSA.
 */
import { constants, createHash, privateEncrypt, publicEncrypt, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { ProtocolError, UsageError } from '../errors.js';
import { hashLengths, type HashName } from '../protocol/algorithms.js';
import { mgf1, rsaModulusBytes, rsaPrivateRaw } from './rsa-oaep.js';

/** DigestInfo DER prefixes (RFC 8017 9.2 note 1); the digest follows. */
export const DIGEST_INFO_PREFIXES = {
  sha1: '3021300906052b0e03021a05000414',
  sha224: '302d300d06096086480165030402040500041c',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
} as const;
export type DigestInfoHash = keyof typeof DIGEST_INFO_PREFIXES;

const digestLengths: Record<DigestInfoHash, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

/** Hash implied by a digest length as the YubiHSM reads it: 20 SHA-1, 32 SHA-256, 48 SHA-384, 64 SHA-512. */
export function hashForDigestLength(length: number): HashName | undefined {
  return length === 20 ? 'sha1' : length === 32 ? 'sha256' : length === 48 ? 'sha384' : length === 64 ? 'sha512' : undefined;
}

/** DigestInfo ‖ digest for a bare digest. */
export function digestInfo(hash: DigestInfoHash, digest: Uint8Array): Uint8Array {
  const prefix = DIGEST_INFO_PREFIXES[hash];
  if (!prefix) throw new UsageError('UNSUPPORTED_HASH', `Hash "${hash}" has no DigestInfo here; use sha1, sha224, sha256, sha384 or sha512.`);
  if (digest.length !== digestLengths[hash]) {
    throw new UsageError('BAD_DIGEST_LENGTH', `A ${hash} digest is ${digestLengths[hash]} bytes, got ${digest.length}.`);
  }
  return Uint8Array.from([...Buffer.from(prefix, 'hex'), ...digest]);
}

/**
 * The DigestInfo a SignPkcs1 payload stands for: a bare 20/32/48/64-byte digest gets its prefix; a complete DigestInfo
 * for SHA-1/224/256/384/512 is returned unchanged. Anything else: ProtocolError RSA_BAD_DIGEST (INVALID_DATA).
 */
export function pkcs1DigestInfoFor(data: Uint8Array): Uint8Array {
  const bare = hashForDigestLength(data.length);
  if (bare) return digestInfo(bare, data);
  for (const [hash, prefix] of Object.entries(DIGEST_INFO_PREFIXES)) {
    const p = Buffer.from(prefix, 'hex');
    if (data.length === p.length + digestLengths[hash as DigestInfoHash] && p.equals(Buffer.from(data.subarray(0, p.length)))) {
      return data.slice();
    }
  }
  throw new ProtocolError(
    'RSA_BAD_DIGEST',
    `A PKCS#1 signature input must be a SHA-1/256/384/512 digest (20/32/48/64 bytes) or a whole DigestInfo; got ${data.length} bytes.`,
  );
}

/** EMSA-PKCS1-v1_5 encoding of a DigestInfo into k bytes: 00 01 FF…FF 00 ‖ T. */
export function pkcs1v15Encode(digestInfoBytes: Uint8Array, k: number): Uint8Array {
  if (digestInfoBytes.length > k - 11) throw new UsageError('RSA_KEY_TOO_SMALL', `A ${k}-byte RSA key cannot sign a ${digestInfoBytes.length}-byte DigestInfo.`);
  const em = new Uint8Array(k).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[k - digestInfoBytes.length - 1] = 0;
  em.set(digestInfoBytes, k - digestInfoBytes.length);
  return em;
}

/** RSASSA-PKCS1-v1_5 signature (k bytes) of a bare digest or a whole DigestInfo. */
export function rsaPkcs1SignDigest(privateKey: KeyObject, data: Uint8Array): Uint8Array {
  rsaModulusBytes(privateKey);
  return new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, pkcs1DigestInfoFor(data)));
}

/** s^e mod n for a k-byte signature below n; undefined otherwise. */
function rsaVerifyRaw(publicKey: KeyObject, signature: Uint8Array, k: number): Uint8Array | undefined {
  if (signature.length !== k) return undefined;
  try {
    return new Uint8Array(publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature));
  } catch {
    return undefined;
  }
}

/** Verifies an RSASSA-PKCS1-v1_5 signature over a bare digest or a whole DigestInfo. */
export function rsaPkcs1VerifyDigest(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const k = rsaModulusBytes(publicKey);
  const em = rsaVerifyRaw(publicKey, signature, k);
  if (!em) return false;
  return timingSafeEqual(em, pkcs1v15Encode(pkcs1DigestInfoFor(data), k));
}

export interface PssParams {
  /** MGF1 hash. */
  readonly mgf1Hash: HashName;
  /** Salt length in bytes (KMS: the hash length; YubiHSM: any u16 that fits). */
  readonly saltLength: number;
  /** Hash of the digest; default: implied by the digest length. */
  readonly hash?: HashName;
}

function pssHash(digest: Uint8Array, hash: HashName | undefined): HashName {
  const h = hash ?? hashForDigestLength(digest.length);
  if (!h || !(h in hashLengths)) {
    throw new UsageError('BAD_DIGEST_LENGTH', `A PSS digest must be 20, 32, 48 or 64 bytes (SHA-1/256/384/512), got ${digest.length}.`);
  }
  if (hashLengths[h] !== digest.length) throw new UsageError('BAD_DIGEST_LENGTH', `A ${h} digest is ${hashLengths[h]} bytes, got ${digest.length}.`);
  return h;
}

/** EMSA-PSS-ENCODE (RFC 8017 9.1.1) of a message digest into ⌈emBits/8⌉ bytes. `salt` is for known-answer tests. */
export function pssEncode(digest: Uint8Array, emBits: number, params: PssParams, salt?: Uint8Array): Uint8Array {
  const hash = pssHash(digest, params.hash);
  const hLen = hashLengths[hash];
  const emLen = Math.ceil(emBits / 8);
  const sLen = params.saltLength;
  if (!Number.isInteger(sLen) || sLen < 0 || emLen < hLen + sLen + 2) {
    throw new UsageError('PSS_SALT_LENGTH', `Salt length ${sLen} does not fit: with ${hash} and this key the salt can be 0 to ${Math.max(0, emLen - hLen - 2)} bytes.`);
  }
  const s = salt ?? new Uint8Array(randomBytes(sLen));
  if (s.length !== sLen) throw new UsageError('PSS_SALT_LENGTH', `The salt must be ${sLen} bytes.`);
  const h = createHash(hash).update(new Uint8Array(8)).update(digest).update(s).digest();
  const db = new Uint8Array(emLen - hLen - 1);
  db[db.length - sLen - 1] = 0x01;
  db.set(s, db.length - sLen);
  const mask = mgf1(params.mgf1Hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const em = new Uint8Array(emLen);
  em.set(db, 0);
  em.set(h, db.length);
  em[emLen - 1] = 0xbc;
  return em;
}

/** EMSA-PSS-VERIFY (RFC 8017 9.1.2). `saltLength: 'auto'` recovers the salt length from the encoding. */
export function pssVerify(digest: Uint8Array, em: Uint8Array, emBits: number, params: Omit<PssParams, 'saltLength'> & { saltLength: number | 'auto' }): boolean {
  const hash = pssHash(digest, params.hash);
  const hLen = hashLengths[hash];
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || emLen < hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const topMask = 0xff >> (8 * emLen - emBits);
  if ((em[0] & ~topMask) !== 0) return false;
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const mask = mgf1(params.mgf1Hash, h, emLen - hLen - 1);
  const db = em.subarray(0, emLen - hLen - 1).map((b, i) => b ^ mask[i]);
  db[0] &= topMask;
  let sep = 0;
  while (sep < db.length && db[sep] === 0) sep++;
  if (sep === db.length || db[sep] !== 0x01) return false;
  const sLen = db.length - sep - 1;
  if (params.saltLength !== 'auto' && sLen !== params.saltLength) return false;
  const salt = db.subarray(sep + 1);
  const h2 = createHash(hash).update(new Uint8Array(8)).update(digest).update(salt).digest();
  return timingSafeEqual(h, h2);
}

function modulusBits(key: KeyObject): number {
  rsaModulusBytes(key);
  return key.asymmetricKeyDetails?.modulusLength as number;
}

/** RSASSA-PSS signature (k bytes) of a digest; the hash is implied by the digest length unless given. */
export function rsaPssSignDigest(privateKey: KeyObject, digest: Uint8Array, params: PssParams): Uint8Array {
  const bits = modulusBits(privateKey);
  const k = Math.ceil(bits / 8);
  const encoded = pssEncode(digest, bits - 1, params);
  const em = new Uint8Array(k);
  em.set(encoded, k - encoded.length);
  const sig = rsaPrivateRaw(privateKey, em);
  if (!sig) throw new UsageError('RSA_SIGN_FAILED', 'The RSA private-key operation failed; check that the key is a valid RSA private key.');
  return sig;
}

/** Verifies an RSASSA-PSS signature over a digest (salt length fixed, or 'auto'). */
export function rsaPssVerifyDigest(
  publicKey: KeyObject,
  digest: Uint8Array,
  signature: Uint8Array,
  params: Omit<PssParams, 'saltLength'> & { saltLength: number | 'auto' },
): boolean {
  const bits = modulusBits(publicKey);
  const k = Math.ceil(bits / 8);
  const m = rsaVerifyRaw(publicKey, signature, k);
  if (!m) return false;
  const emLen = Math.ceil((bits - 1) / 8);
  if (emLen < k && m[0] !== 0) return false;
  return pssVerify(digest, m.subarray(k - emLen), bits - 1, params);
}
