/**
 * Wrap keys, type 0x04 (PROTOCOL.md 5.5, 5.8): AES-CCM keys (aes128/192/256-ccm-wrap) that export and import whole
 * objects (ExportWrapped 0x4A / ImportWrapped 0x4B) and wrap data (0x68 / 0x69); and, from firmware 2.4, RSA
 * private keys (rsa2048/3072/4096) that import RSA-wrapped material (PutRsaWrappedKey 0x75, ImportRsaWrapped 0x77).
 *
 *   const wk = await WrapKey.generate(s, { id: 0x10, domains: 1, capabilities: 'export-wrapped,import-wrapped',
 *                                         delegatedCapabilities: 'sign-ecdsa,exportable-under-wrap', algorithm: 'aes256-ccm-wrap' });
 *   const blob = await key.exportWrapped(wk);      const again = await wk.importWrapped(blob);
 */
import { own } from '../../protocol/commands/shared.js';
import { parsePkcs8 } from '../../crypto/pkcs8.js';
import { ProtocolError, UsageError } from '../../errors.js';
import { isRsaAlgorithm } from '../../protocol/algorithms.js';
import { generateWrapKey } from '../../protocol/commands/generate-wrap-key.js';
import { importRsaWrapped } from '../../protocol/commands/import-rsa-wrapped.js';
import { importWrapped } from '../../protocol/commands/import-wrapped.js';
import { putRsaWrappedKey } from '../../protocol/commands/put-rsa-wrapped-key.js';
import { putWrapKey } from '../../protocol/commands/put-wrap-key.js';
import { unwrapData } from '../../protocol/commands/unwrap-data.js';
import { wrapData } from '../../protocol/commands/wrap-data.js';
import { formatId, wrapKeyId, type WrapKeyId } from '../../protocol/ids.js';
import { objectTypeName, ObjectType } from '../../protocol/object-types.js';
import type { HsmSession } from '../session.js';
import { objectFor, type AnyObject } from './factory.js';
import { newObject, newObjectDelegated, toAlgorithm, YubiHsmObject, type AlgorithmInput, type CreateOptions, type CreateOptionsDelegated } from './object.js';
import { readPublicKey, type HsmPublicKey } from './public-key.js';
import { unwrapSelectors, type RsaUnwrapOptions } from './rsa-wrap-options.js';
import type { AsymmetricKey } from './asymmetric-key.js';
import type { SymmetricKey } from './symmetric-key.js';

export type PutWrapKeyOptions = CreateOptionsDelegated &
  (
    | { algorithm: AlgorithmInput; /** AES key (16/24/32 bytes) or RSA p ‖ q. */ key: Uint8Array; pkcs8?: undefined }
    | { /** DER PKCS#8 of an RSA private key (firmware 2.4 RSA wrap key). */ pkcs8: Uint8Array; key?: undefined; algorithm?: undefined }
  );

/** PutRsaWrappedKey: the new key's metadata (the blob carries only key material). */
export type PutRsaWrappedKeyOptions = CreateOptions &
  RsaUnwrapOptions & {
    /** `asymmetric-key` (3, the default) or `symmetric-key` (8). */
    type?: 'asymmetric-key' | 'symmetric-key' | 3 | 8;
    algorithm: AlgorithmInput;
  };

export class WrapKey extends YubiHsmObject<WrapKeyId> {
  readonly type = ObjectType.WRAP_KEY;

  static from(session: HsmSession, id: number | string): WrapKey {
    return new WrapKey(session, wrapKeyId(id));
  }

  /** GenerateWrapKey (0x5B): AES-CCM (29/41/42) or, firmware 2.4+, RSA (9/10/11). Session capability generate-wrap-key. */
  static async generate(session: HsmSession, o: CreateOptionsDelegated & { algorithm: AlgorithmInput }): Promise<WrapKey> {
    const req = newObjectDelegated(o, toAlgorithm(o.algorithm, ObjectType.WRAP_KEY));
    return new WrapKey(session, wrapKeyId(await session.call(generateWrapKey, req)));
  }

  /** PutWrapKey (0x4C); session capability put-wrap-key. Key material is wiped after sending. */
  static async put(session: HsmSession, o: PutWrapKeyOptions): Promise<WrapKey> {
    let algorithm: number;
    let key: Uint8Array;
    if (o.pkcs8 !== undefined) {
      const raw = parsePkcs8(o.pkcs8);
      if (!isRsaAlgorithm(raw.algorithm)) throw new UsageError('HSM_BAD_ALGORITHM', 'A wrap key from PKCS#8 must be an RSA 2048/3072/4096 private key.');
      algorithm = raw.algorithm;
      key = raw.material;
    } else {
      algorithm = toAlgorithm(o.algorithm, ObjectType.WRAP_KEY);
      key = own(o.key);
    }
    try {
      return new WrapKey(session, wrapKeyId(await session.call(putWrapKey, { ...newObjectDelegated(o, algorithm), key })));
    } finally {
      key.fill(0);
    }
  }

  /** GetPublicKey of an RSA wrap key (firmware 2.4): its public half, e.g. to give to whoever wraps for it. */
  getPublicKey(): Promise<HsmPublicKey> {
    return readPublicKey(this.session, this.id, this.type);
  }

  /** ImportWrapped (0x4B): recreates the object exported with exportWrapped (same id, label, capabilities). */
  async importWrapped(blob: Uint8Array): Promise<AnyObject> {
    const { type, id } = await this.session.call(importWrapped, { wrapKeyId: this.id, wrapped: blob });
    return objectFor(this.session, type, id);
  }

  /** WrapData (0x68): nonce ‖ AES-CCM(data) ‖ tag. */
  wrapData(data: Uint8Array): Promise<Uint8Array> {
    return this.session.call(wrapData, { keyId: this.id, data });
  }

  /** UnwrapData (0x69): the data wrapped with wrapData. */
  unwrapData(wrapped: Uint8Array): Promise<Uint8Array> {
    return this.session.call(unwrapData, { keyId: this.id, wrapped });
  }

  /**
   * PutRsaWrappedKey (0x75, firmware 2.4): imports key material wrapped for this RSA wrap key (PKCS#8 or a raw AES
   * key inside C1 ‖ C2, PROTOCOL.md 6) as a new asymmetric or symmetric key with the metadata given here.
   */
  async putRsaWrappedKey(blob: Uint8Array, o: PutRsaWrappedKeyOptions): Promise<AsymmetricKey | SymmetricKey> {
    const type = o.type === 'symmetric-key' || o.type === 8 ? ObjectType.SYMMETRIC_KEY : ObjectType.ASYMMETRIC_KEY;
    const meta = newObject(o, toAlgorithm(o.algorithm, type));
    const sel = unwrapSelectors(o);
    const made = await this.session.call(putRsaWrappedKey, {
      wrapKeyId: this.id, type, id: meta.id, label: meta.label, domains: meta.domains, capabilities: meta.capabilities,
      algorithm: meta.algorithm, oaepAlgorithm: sel.oaepAlgorithm, mgf1Algorithm: sel.mgf1Algorithm, blob, lHash: sel.lHash,
    });
    if (made.type !== type) {
      throw new ProtocolError(
        'HSM_UNEXPECTED_RESPONSE',
        `PutRsaWrappedKey was asked for a ${objectTypeName(type)} but the device created ${objectTypeName(made.type)} ${formatId(made.id)}; ` +
          'inspect that object and delete it if it is not wanted.',
      );
    }
    return objectFor(this.session, made.type, made.id) as AsymmetricKey | SymmetricKey;
  }

  /** ImportRsaWrapped (0x77, firmware 2.4): recreates an object exported with ExportRsaWrapped for this key. */
  async importRsaWrapped(blob: Uint8Array, o: RsaUnwrapOptions = {}): Promise<AnyObject> {
    const sel = unwrapSelectors(o);
    const { type, id } = await this.session.call(importRsaWrapped, {
      wrapKeyId: this.id, oaepAlgorithm: sel.oaepAlgorithm, mgf1Algorithm: sel.mgf1Algorithm, blob, lHash: sel.lHash,
    });
    return objectFor(this.session, type, id);
  }
}
