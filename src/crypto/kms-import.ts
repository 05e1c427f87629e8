/**
 * Import side of KMS "bring your own key": RSA wrapping key pairs for GetParametersForImport and the unwrapping of
 * ImportKeyMaterial's EncryptedKeyMaterial (KMS-SPEC.md 2):
 *  - RSAES_OAEP_SHA_1 / _256: RSA-OAEP (MGF1 with the same hash, empty label) over the material; the blob is exactly
 *    the modulus length.
 *  - RSA_AES_KEY_WRAP_SHA_1 / _256 (PKCS#11 CKM_RSA_AES_KEY_WRAP): RSA-OAEP of an ephemeral AES key (first, modulus
 *    length), then RFC 5649 AES key wrap with padding of the material under that AES key (rsa-aes-wrap.ts; an AES
 *    key of 16, 24 or 32 bytes is accepted).
 * https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-encrypt-key-material.html
 */
import { constants, createPrivateKey, generateKeyPair, privateDecrypt, type KeyObject } from 'node:crypto';
import { rsaAesUnwrap } from './rsa-aes-wrap.js';
import { bufferView, takeBytes } from './owned-bytes.js';

export interface WrappingKeyPair {
  /** PKCS#8 DER of the private key (stays on the server). */
  pkcs8: Uint8Array;
  /** X.509 SubjectPublicKeyInfo DER, what GetParametersForImport returns as PublicKey. */
  spki: Uint8Array;
}

/** A fresh RSA key pair (e = 65537), generated off the event loop. */
export function generateWrappingKeyPair(bits: number): Promise<WrappingKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 }, (err, publicKey, privateKey) => {
      if (err) return reject(err);
      resolve({
        pkcs8: takeBytes(privateKey.export({ type: 'pkcs8', format: 'der' })),
        spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
      });
    });
  });
}

const keyObjects = new WeakMap<Uint8Array, KeyObject>();

/** The private KeyObject of a wrapping key, parsed once per PKCS#8 buffer. */
export function wrappingPrivateKey(pkcs8: Uint8Array): KeyObject {
  let key = keyObjects.get(pkcs8);
  if (!key) {
    key = createPrivateKey({ key: bufferView(pkcs8), format: 'der', type: 'pkcs8' });
    keyObjects.set(pkcs8, key);
  }
  return key;
}

export interface WrapScheme {
  /** `oaep`: RSAES_OAEP_*; `rsa-aes`: RSA_AES_KEY_WRAP_*. */
  kind: 'oaep' | 'rsa-aes';
  hash: 'sha1' | 'sha256';
}

/**
 * `size`: the blob cannot be what the scheme produces for this wrapping key (its length says so, nothing secret);
 * `decrypt`: it does not decrypt. Decryption failures are one undifferentiated answer, so the import operation is
 * not an RSA-OAEP or key-wrap padding oracle.
 */
export type UnwrapResult =
  | { ok: true; material: Uint8Array }
  | { ok: false; reason: 'size'; detail: string }
  | { ok: false; reason: 'decrypt' };

function oaepDecrypt(key: KeyObject, hash: string, data: Uint8Array): Uint8Array | undefined {
  try {
    return takeBytes(privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, data));
  } catch {
    return undefined;
  }
}

/** Unwraps `blob` with the wrapping private key; every failure is reported, never thrown. */
export function unwrapKeyMaterial(scheme: WrapScheme, wrappingKey: KeyObject, blob: Uint8Array): UnwrapResult {
  const k = (wrappingKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (scheme.kind === 'oaep') {
    if (blob.length !== k) {
      return { ok: false, reason: 'size', detail: `it is ${blob.length} bytes, not the ${k} bytes of an RSA-OAEP block of this wrapping key` };
    }
    const material = oaepDecrypt(wrappingKey, scheme.hash, blob);
    return material ? { ok: true, material } : { ok: false, reason: 'decrypt' };
  }
  const tail = blob.length - k;
  if (tail < 16 || tail % 8 !== 0) {
    return {
      ok: false,
      reason: 'size',
      detail: `it is ${blob.length} bytes; RSA_AES_KEY_WRAP needs ${k} bytes of RSA-OAEP followed by at least 16 bytes of RFC 5649 key wrap in 8-byte blocks`,
    };
  }
  try {
    const { payload, ephemeralKey } = rsaAesUnwrap(wrappingKey, blob, { oaepHash: scheme.hash, mgf1Hash: scheme.hash });
    ephemeralKey.fill(0);
    return { ok: true, material: payload };
  } catch {
    return { ok: false, reason: 'decrypt' };
  }
}
