/**
 * Public wrap keys, type 0x09, firmware 2.4 (PROTOCOL.md 5.8, 6): an RSA public key that exports key material
 * (GetRsaWrappedKey 0x74: PKCS#8 / raw AES, what AWS KMS imports) or whole objects (ExportRsaWrapped 0x76) for the
 * holder of the private half. Its delegated capabilities bound what it may export: every capability of the exported
 * object must be among them (PROTOCOL.md 4.4 rule 6).
 *
 *   const kms = await PublicWrapKey.put(s, { id: 0x101, label: 'AWS KMS', domains: 1, capabilities: 'export-wrapped',
 *                                           delegatedCapabilities: 'exportable-under-wrap,sign-ecdsa', publicKey: pem });
 *   const blob = await key.getRsaWrappedKey(kms);    // RSA_AES_KEY_WRAP_SHA_256
 */
import { own } from '../../protocol/commands/shared.js';
import { parseSpki, spkiFromPem } from '../../crypto/spki.js';
import { UsageError } from '../../errors.js';
import { isRsaAlgorithm } from '../../protocol/algorithms.js';
import { putPublicWrapKey } from '../../protocol/commands/put-public-wrap-key.js';
import { wrapKeyId, type WrapKeyId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { HsmSession } from '../session.js';
import { newObjectDelegated, YubiHsmObject, type CreateOptionsDelegated } from './object.js';
import { readPublicKey, type HsmPublicKey } from './public-key.js';

export type PutPublicWrapKeyOptions = CreateOptionsDelegated & {
  /** The RSA public key: PEM (`-----BEGIN PUBLIC KEY-----`), DER SubjectPublicKeyInfo, or `{ modulus }` (e = 65537). */
  publicKey: string | Uint8Array | { modulus: Uint8Array };
};

function rsaPublic(input: PutPublicWrapKeyOptions['publicKey']): { algorithm: number; modulus: Uint8Array } {
  if (input instanceof Uint8Array || typeof input === 'string') {
    const der = typeof input === 'string' ? spkiFromPem(input) : input;
    const raw = parseSpki(der);
    if (!isRsaAlgorithm(raw.algorithm)) {
      throw new UsageError('HSM_BAD_ALGORITHM', 'A public wrap key must be an RSA 2048, 3072 or 4096 public key (e = 65537), not an EC or Ed25519 key.');
    }
    return { algorithm: raw.algorithm, modulus: raw.publicKey };
  }
  const algorithm = { 256: 9, 384: 10, 512: 11 }[input.modulus.length];
  if (algorithm === undefined || (input.modulus[0] & 0x80) === 0) {
    throw new UsageError('HSM_BAD_ARGUMENT', `The modulus must be a full 2048, 3072 or 4096-bit big-endian number, got ${input.modulus.length} bytes.`);
  }
  return { algorithm, modulus: own(input.modulus) };
}

export class PublicWrapKey extends YubiHsmObject<WrapKeyId> {
  readonly type = ObjectType.PUBLIC_WRAP_KEY;

  static from(session: HsmSession, id: number | string): PublicWrapKey {
    return new PublicWrapKey(session, wrapKeyId(id));
  }

  /** PutPublicWrapKey (0x73); session capability put-public-wrap-key. The algorithm follows the modulus size. */
  static async put(session: HsmSession, o: PutPublicWrapKeyOptions): Promise<PublicWrapKey> {
    const { algorithm, modulus } = rsaPublic(o.publicKey);
    const id = await session.call(putPublicWrapKey, { ...newObjectDelegated(o, algorithm), modulus });
    return new PublicWrapKey(session, wrapKeyId(id));
  }

  /** GetPublicKey (type 9 form): the stored RSA public key. */
  getPublicKey(): Promise<HsmPublicKey> {
    return readPublicKey(this.session, this.id, this.type);
  }
}
