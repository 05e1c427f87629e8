/**
 * Asymmetric operations of KMS keys: Sign/Verify (ECDSA with DER signatures, RSASSA-PKCS1-v1_5, RSASSA-PSS with
 * MGF1 of the same hash and salt length = hash length; KMS-SPEC.md 3), GetPublicKey's SubjectPublicKeyInfo, and
 * RSAES-OAEP Encrypt/Decrypt. A RAW message is hashed here; a DIGEST message is signed as given (never hashed
 * again). Private keys are parsed once per material buffer and cached.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html
 */
import {
  constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, sign, verify, type KeyObject,
} from 'node:crypto';
import type { CurveName } from './ecdsa.js';
import { ecdsaSignDigestDer, ecdsaVerifyDigestDer } from './ecdsa-der.js';
import { rsaPkcs1SignDigest, rsaPkcs1VerifyDigest, rsaPssSignDigest, rsaPssVerifyDigest } from './rsa-sign.js';
import { bufferView, takeBytes } from './owned-bytes.js';

export type SignScheme = 'ecdsa' | 'pkcs1' | 'pss';
export type SignHash = 'sha256' | 'sha384' | 'sha512';

function rsaPadding(scheme: SignScheme): { padding?: number; saltLength?: number } {
  if (scheme === 'pss') return { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  if (scheme === 'pkcs1') return { padding: constants.RSA_PKCS1_PADDING };
  return {};
}

const cache = new WeakMap<Uint8Array, KmsAsymmetricKey>();

/** A KMS asymmetric key, parsed once from its PKCS#8 material. */
export class KmsAsymmetricKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SubjectPublicKeyInfo DER (named-curve OID and uncompressed point for EC; rsaEncryption for RSA). */
  readonly spki: Uint8Array;

  private constructor(pkcs8: Uint8Array) {
    this.privateKey = createPrivateKey({ key: bufferView(pkcs8), format: 'der', type: 'pkcs8' });
    this.publicKey = createPublicKey(this.privateKey);
    this.spki = new Uint8Array(this.publicKey.export({ type: 'spki', format: 'der' }));
  }

  /** The key for this material buffer (parsed on first use, then cached for the buffer's lifetime). */
  static of(pkcs8: Uint8Array): KmsAsymmetricKey {
    let key = cache.get(pkcs8);
    if (!key) {
      key = new KmsAsymmetricKey(pkcs8);
      cache.set(pkcs8, key);
    }
    return key;
  }

  /** Signs a RAW message (hashed here) or a DIGEST (signed as is). */
  sign(scheme: SignScheme, hash: SignHash, message: Uint8Array, isDigest: boolean): Uint8Array {
    if (isDigest) return signDigest(this, scheme, hash, message);
    return new Uint8Array(sign(hash, message, { key: this.privateKey, dsaEncoding: 'der', ...rsaPadding(scheme) }));
  }

  /** Verifies a signature over a RAW message or a DIGEST; false for any malformed or wrong signature. */
  verify(scheme: SignScheme, hash: SignHash, message: Uint8Array, isDigest: boolean, signature: Uint8Array): boolean {
    try {
      if (isDigest) return verifyDigest(this, scheme, hash, message, signature);
      return verify(hash, message, { key: this.publicKey, dsaEncoding: 'der', ...rsaPadding(scheme) }, signature);
    } catch {
      return false;
    }
  }

  /** RSAES-OAEP encryption (MGF1 with the same hash, empty label). */
  oaepEncrypt(hash: 'sha1' | 'sha256', plaintext: Uint8Array): Uint8Array {
    return new Uint8Array(publicEncrypt({ key: this.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, plaintext));
  }

  /** RSAES-OAEP decryption; undefined when the ciphertext does not decrypt. */
  oaepDecrypt(hash: 'sha1' | 'sha256', ciphertext: Uint8Array): Uint8Array | undefined {
    try {
      return takeBytes(privateDecrypt({ key: this.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, ciphertext));
    } catch {
      return undefined;
    }
  }

  /** Largest OAEP plaintext for this key and hash: k - 2·hLen - 2. */
  oaepCapacity(hash: 'sha1' | 'sha256'): number {
    const k = (this.publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
    return k - 2 * (hash === 'sha1' ? 20 : 32) - 2;
  }
}

const hashLength: Record<SignHash, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** EC private scalar, curve and public point, from the key's JWK form (exported once per key). */
interface EcParts {
  curve: CurveName;
  d: Uint8Array;
  point: Uint8Array;
}

const ecParts = new WeakMap<KmsAsymmetricKey, EcParts>();

function ecPartsOf(key: KmsAsymmetricKey): EcParts {
  let parts = ecParts.get(key);
  if (!parts) {
    const jwk = key.privateKey.export({ format: 'jwk' });
    const b = (v: string | undefined): Buffer => Buffer.from(v ?? '', 'base64url');
    parts = {
      curve: key.privateKey.asymmetricKeyDetails?.namedCurve as CurveName,
      d: new Uint8Array(b(jwk.d)),
      point: new Uint8Array(Buffer.concat([Buffer.of(4), b(jwk.x), b(jwk.y)])),
    };
    ecParts.set(key, parts);
  }
  return parts;
}

function signDigest(key: KmsAsymmetricKey, scheme: SignScheme, hash: SignHash, digest: Uint8Array): Uint8Array {
  if (scheme === 'ecdsa') {
    const { curve, d } = ecPartsOf(key);
    return ecdsaSignDigestDer(curve, d, digest);
  }
  if (scheme === 'pkcs1') return rsaPkcs1SignDigest(key.privateKey, digest);
  return rsaPssSignDigest(key.privateKey, digest, { hash, mgf1Hash: hash, saltLength: hashLength[hash] });
}

function verifyDigest(key: KmsAsymmetricKey, scheme: SignScheme, hash: SignHash, digest: Uint8Array, signature: Uint8Array): boolean {
  if (scheme === 'ecdsa') {
    const { curve, point } = ecPartsOf(key);
    return ecdsaVerifyDigestDer(curve, point, digest, signature);
  }
  if (scheme === 'pkcs1') return rsaPkcs1VerifyDigest(key.publicKey, digest, signature);
  return rsaPssVerifyDigest(key.publicKey, digest, signature, { hash, mgf1Hash: hash, saltLength: hashLength[hash] });
}
