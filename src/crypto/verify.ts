/**
 * Public-key checks the ceremony and transcript verification run locally, so no code outside src/crypto touches
 * node:crypto: hashing, verifying a KMS or HSM signature with a SubjectPublicKeyInfo, and RSA-OAEP encryption
 * to a public key (to test that KMS or the HSM can decrypt).
 */
import { createPublicKey, publicEncrypt, verify as nodeVerify, constants } from 'node:crypto';

export type HashAlg = 'sha256' | 'sha384' | 'sha512';

export type SignatureScheme =
  | { kind: 'ecdsa'; hash: HashAlg }
  | { kind: 'rsa-pkcs1'; hash: HashAlg }
  | { kind: 'rsa-pss'; hash: HashAlg };

/** Signing algorithm names as AWS KMS spells them -> scheme. */
export function schemeForKmsAlgorithm(name: string): SignatureScheme | undefined {
  const m = /^(ECDSA|RSASSA_PKCS1_V1_5|RSASSA_PSS)_SHA_(256|384|512)$/.exec(name);
  if (!m) return undefined;
  const hash = `sha${m[2]}` as HashAlg;
  return m[1] === 'ECDSA' ? { kind: 'ecdsa', hash } : m[1] === 'RSASSA_PSS' ? { kind: 'rsa-pss', hash } : { kind: 'rsa-pkcs1', hash };
}

/** Verifies a signature over `message` (hashed here) with a DER SubjectPublicKeyInfo. ECDSA signatures are DER. */
export function verifySignature(spki: Uint8Array, scheme: SignatureScheme, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    if (scheme.kind === 'rsa-pss') {
      return nodeVerify(scheme.hash, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
    }
    if (scheme.kind === 'rsa-pkcs1') return nodeVerify(scheme.hash, message, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    return nodeVerify(scheme.hash, message, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

/** RSAES-OAEP (hash = MGF1 hash, empty label) to a DER SubjectPublicKeyInfo. */
export function rsaOaepEncrypt(spki: Uint8Array, hash: 'sha1' | 'sha256', plaintext: Uint8Array): Uint8Array {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  return new Uint8Array(publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, plaintext));
}
