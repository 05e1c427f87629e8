/**
 * Asymmetric keys, type 0x03 (PROTOCOL.md 5.4): RSA 2048/3072/4096, EC (P-224/256/384/521, secp256k1,
 * brainpool 256/384/512) and Ed25519.
 *
 *   const key = await AsymmetricKey.generate(s, { id: 0x100, label: 'signer', domains: 1,
 *                                                capabilities: 'sign-ecdsa,exportable-under-wrap', algorithm: 'ecp256' });
 *   const pem = (await key.getPublicKey()).pem;
 *   const der = await key.signEcdsa(sha256Digest);
 *   const blob = await key.getRsaWrappedKey(kmsWrapKey);          // 0x74, RSA_AES_KEY_WRAP_SHA_256 by default
 */
import { own } from '../../protocol/commands/shared.js';
import { parsePkcs8 } from '../../crypto/pkcs8.js';
import { checkKeyMaterial } from '../../crypto/key-material.js';
import { UsageError } from '../../errors.js';
import { hashLengths } from '../../protocol/algorithms.js';
import { decryptOaep } from '../../protocol/commands/decrypt-oaep.js';
import { decryptPkcs1 } from '../../protocol/commands/decrypt-pkcs1.js';
import { deriveEcdh } from '../../protocol/commands/derive-ecdh.js';
import { generateAsymmetricKey } from '../../protocol/commands/generate-asymmetric-key.js';
import { putAsymmetricKey } from '../../protocol/commands/put-asymmetric-key.js';
import { signAttestationCertificate } from '../../protocol/commands/sign-attestation-certificate.js';
import { signEcdsa } from '../../protocol/commands/sign-ecdsa.js';
import { signEddsa } from '../../protocol/commands/sign-eddsa.js';
import { signPkcs1 } from '../../protocol/commands/sign-pkcs1.js';
import { signPss } from '../../protocol/commands/sign-pss.js';
import { signSshCertificate } from '../../protocol/commands/sign-ssh-certificate.js';
import { keyId, type KeyId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { HsmSession } from '../session.js';
import { newObject, toAlgorithm, YubiHsmObject, type AlgorithmInput, type CreateOptions } from './object.js';
import { readPublicKey, type HsmPublicKey } from './public-key.js';
import { mgf1Selector, unwrapSelectors, type HashChoice, type RsaUnwrapOptions, type RsaWrapOptions } from './rsa-wrap-options.js';
import type { PublicWrapKey } from './public-wrap-key.js';

export type PutAsymmetricKeyOptions = CreateOptions &
  (
    | { algorithm: AlgorithmInput; /** RSA p ‖ q, EC private scalar d, or the Ed25519 seed (PROTOCOL.md 5.4). */ key: Uint8Array; pkcs8?: undefined }
    | { /** DER PKCS#8 PrivateKeyInfo; the algorithm is read from it. */ pkcs8: Uint8Array; key?: undefined; algorithm?: undefined }
  );

const DIGEST_LENGTHS = [20, 32, 48, 64];

export class AsymmetricKey extends YubiHsmObject<KeyId> {
  readonly type = ObjectType.ASYMMETRIC_KEY;

  /** The key with this id (not checked against the device until used). */
  static from(session: HsmSession, id: number | string): AsymmetricKey {
    return new AsymmetricKey(session, keyId(id));
  }

  /** GenerateAsymmetricKey (0x46); session capability generate-asymmetric-key. RSA may take minutes on a device. */
  static async generate(session: HsmSession, o: CreateOptions & { algorithm: AlgorithmInput }): Promise<AsymmetricKey> {
    const req = newObject(o, toAlgorithm(o.algorithm, ObjectType.ASYMMETRIC_KEY));
    return new AsymmetricKey(session, keyId(await session.call(generateAsymmetricKey, req)));
  }

  /** PutAsymmetricKey (0x45); session capability put-asymmetric-key. Key material is wiped after sending. */
  static async put(session: HsmSession, o: PutAsymmetricKeyOptions): Promise<AsymmetricKey> {
    let algorithm: number;
    let material: Uint8Array;
    if (o.pkcs8 !== undefined) {
      const raw = parsePkcs8(o.pkcs8);
      algorithm = toAlgorithm(raw.algorithm, ObjectType.ASYMMETRIC_KEY);
      material = raw.material;
    } else {
      algorithm = toAlgorithm(o.algorithm, ObjectType.ASYMMETRIC_KEY);
      material = own(o.key);
    }
    try {
      checkKeyMaterial(algorithm as Parameters<typeof checkKeyMaterial>[0], material);
      const id = await session.call(putAsymmetricKey, { ...newObject(o, algorithm), key: material });
      return new AsymmetricKey(session, keyId(id));
    } finally {
      material.fill(0);
    }
  }

  /** GetPublicKey: raw, SPKI DER and PEM. */
  getPublicKey(): Promise<HsmPublicKey> {
    return readPublicKey(this.session, this.id, this.type);
  }

  /** SignEcdsa (0x56): `digest` is the hash of the message (20-66 bytes); returns DER `SEQUENCE { r, s }`. */
  signEcdsa(digest: Uint8Array): Promise<Uint8Array> {
    if (!(digest instanceof Uint8Array) || digest.length < 1 || digest.length > 66) {
      return Promise.reject(new UsageError('HSM_BAD_ARGUMENT', 'signEcdsa takes the message digest (20 to 66 bytes), not the message.'));
    }
    return this.session.call(signEcdsa, { keyId: this.id, digest });
  }

  /** SignPkcs1 (0x47): a bare digest (20/32/48/64 bytes; the device adds DigestInfo) or DigestInfo ‖ digest. */
  signPkcs1(digest: Uint8Array): Promise<Uint8Array> {
    return this.session.call(signPkcs1, { keyId: this.id, data: digest });
  }

  /** SignPss (0x55): PSS hash implied by the digest length; MGF1 and salt length default to that hash and its size. */
  signPss(digest: Uint8Array, o: { mgf1Hash?: HashChoice | number; saltLength?: number } = {}): Promise<Uint8Array> {
    if (!DIGEST_LENGTHS.includes(digest.length)) {
      return Promise.reject(new UsageError('HSM_BAD_ARGUMENT', `signPss takes a SHA-1/256/384/512 digest (20/32/48/64 bytes), got ${digest.length}.`));
    }
    const implied = (Object.keys(hashLengths) as (keyof typeof hashLengths)[]).find((h) => hashLengths[h] === digest.length)!;
    return this.session.call(signPss, {
      keyId: this.id,
      mgf1Algorithm: mgf1Selector(o.mgf1Hash ?? implied),
      saltLength: o.saltLength ?? digest.length,
      digest,
    });
  }

  /** SignEddsa (0x6A): pure Ed25519 over the message itself; returns the 64-byte signature. */
  signEddsa(message: Uint8Array): Promise<Uint8Array> {
    return this.session.call(signEddsa, { keyId: this.id, data: message });
  }

  /** DecryptPkcs1 (0x49): PKCS#1 v1.5 decryption. */
  decryptPkcs1(ciphertext: Uint8Array): Promise<Uint8Array> {
    return this.session.call(decryptPkcs1, { keyId: this.id, data: ciphertext });
  }

  /** DecryptOaep (0x59): hashes default to SHA-256, label to empty. */
  decryptOaep(ciphertext: Uint8Array, o: RsaUnwrapOptions = {}): Promise<Uint8Array> {
    const sel = unwrapSelectors(o);
    return this.session.call(decryptOaep, { keyId: this.id, mgf1Algorithm: sel.mgf1Algorithm, ciphertext, lHash: sel.lHash });
  }

  /** DeriveEcdh (0x57): the peer's public point, uncompressed (04 ‖ X ‖ Y) or bare X ‖ Y; returns the shared X. */
  deriveEcdh(peerPublicKey: Uint8Array): Promise<Uint8Array> {
    const point = peerPublicKey.length % 2 === 0 ? Uint8Array.from([0x04, ...peerPublicKey]) : peerPublicKey;
    return this.session.call(deriveEcdh, { keyId: this.id, data: point });
  }

  /**
   * SignAttestationCertificate (0x64): a DER X.509 certificate for this key, signed by `attestingKeyId`
   * (0 = the device's built-in attestation key). Capability sign-attestation-certificate on session and attesting key.
   */
  attest(attestingKeyId: number = 0): Promise<Uint8Array> {
    const attesting = attestingKeyId === 0 ? 0 : keyId(attestingKeyId);
    return this.session.call(signAttestationCertificate, { keyId: this.id, attestingKeyId: attesting });
  }

  /** SignSshCertificate (0x5D) with an SSH template (type 6). */
  signSshCertificate(templateId: number, algorithm: number, request: Uint8Array): Promise<Uint8Array> {
    return this.session.call(signSshCertificate, { keyId: this.id, templateId, algorithm, request });
  }

  /**
   * GetRsaWrappedKey (0x74): this key's PKCS#8, RSA-AES-wrapped for the holder of the public wrap key's private
   * half (AWS KMS RSA_AES_KEY_WRAP_SHA_256 with the defaults). Needs exportable-under-wrap on this key.
   */
  getRsaWrappedKey(wrapKey: PublicWrapKey, o: RsaWrapOptions = {}): Promise<Uint8Array> {
    return this.rsaWrappedKeyMaterial(wrapKey, o);
  }
}
