/**
 * Opaque objects, type 0x01 (PROTOCOL.md 5.6): arbitrary bytes (opaque-data, 30) or an X.509 certificate
 * (opaque-x509-certificate, 31; also the template of attestation certificates signed by a key with the same id).
 */
import { Algorithm } from '../../protocol/algorithms.js';
import { getOpaque } from '../../protocol/commands/get-opaque.js';
import { putOpaque } from '../../protocol/commands/put-opaque.js';
import { objectId, type ObjectId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { HsmSession } from '../session.js';
import { newObject, toAlgorithm, YubiHsmObject, type AlgorithmInput, type CreateOptions } from './object.js';

export class Opaque extends YubiHsmObject<ObjectId> {
  readonly type = ObjectType.OPAQUE;

  static from(session: HsmSession, id: number | string): Opaque {
    return new Opaque(session, objectId(id));
  }

  /** PutOpaque (0x42); session capability put-opaque. Algorithm opaque-data unless given. */
  static async put(session: HsmSession, o: CreateOptions & { data: Uint8Array; algorithm?: AlgorithmInput }): Promise<Opaque> {
    const algorithm = toAlgorithm(o.algorithm ?? Algorithm.OPAQUE_DATA, ObjectType.OPAQUE);
    return new Opaque(session, objectId(await session.call(putOpaque, { ...newObject(o, algorithm), data: o.data })));
  }

  /** PutOpaque with algorithm opaque-x509-certificate and a DER certificate. */
  static putCertificate(session: HsmSession, o: CreateOptions & { certificate: Uint8Array }): Promise<Opaque> {
    return Opaque.put(session, { ...o, data: o.certificate, algorithm: Algorithm.OPAQUE_X509_CERTIFICATE });
  }

  /** GetOpaque (0x43); session capability get-opaque. */
  get(): Promise<Uint8Array> {
    return this.session.call(getOpaque, this.id);
  }
}
