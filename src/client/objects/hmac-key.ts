/** HMAC keys, type 0x05 (PROTOCOL.md 5.6): hmac-sha1/256/384/512 (19-22); SignHmac 0x53, VerifyHmac 0x5C. */
import { own } from '../../protocol/commands/shared.js';
import { UsageError } from '../../errors.js';
import { hmacAlgorithms, isHmacAlgorithm } from '../../protocol/algorithms.js';
import { generateHmacKey } from '../../protocol/commands/generate-hmac-key.js';
import { putHmacKey } from '../../protocol/commands/put-hmac-key.js';
import { signHmac } from '../../protocol/commands/sign-hmac.js';
import { verifyHmac, verifyHmacRequest } from '../../protocol/commands/verify-hmac.js';
import { keyId, type KeyId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { HsmSession } from '../session.js';
import { newObject, toAlgorithm, YubiHsmObject, type AlgorithmInput, type CreateOptions } from './object.js';

export class HmacKey extends YubiHsmObject<KeyId> {
  readonly type = ObjectType.HMAC_KEY;

  static from(session: HsmSession, id: number | string): HmacKey {
    return new HmacKey(session, keyId(id));
  }

  /** GenerateHmacKey (0x5A); session capability generate-hmac-key. */
  static async generate(session: HsmSession, o: CreateOptions & { algorithm: AlgorithmInput }): Promise<HmacKey> {
    const req = newObject(o, toAlgorithm(o.algorithm, ObjectType.HMAC_KEY));
    return new HmacKey(session, keyId(await session.call(generateHmacKey, req)));
  }

  /** PutHmacKey (0x52); session capability put-mac-key. Key: 1..64 bytes (SHA-1/256) or 1..128 (SHA-384/512). */
  static async put(session: HsmSession, o: CreateOptions & { algorithm: AlgorithmInput; key: Uint8Array }): Promise<HmacKey> {
    const algorithm = toAlgorithm(o.algorithm, ObjectType.HMAC_KEY);
    const max = isHmacAlgorithm(algorithm) ? hmacAlgorithms[algorithm].block : 0;
    if (o.key.length < 1 || o.key.length > max) {
      throw new UsageError('HSM_BAD_ARGUMENT', `This HMAC key must be 1 to ${max} bytes, got ${o.key.length}; hash longer keys first.`);
    }
    const key = own(o.key);
    try {
      return new HmacKey(session, keyId(await session.call(putHmacKey, { ...newObject(o, algorithm), key })));
    } finally {
      key.fill(0);
    }
  }

  /** SignHmac (0x53): the MAC of `data`. */
  sign(data: Uint8Array): Promise<Uint8Array> {
    return this.session.call(signHmac, { keyId: this.id, data });
  }

  /** VerifyHmac (0x5C): true when `mac` is the MAC of `data`. */
  verify(mac: Uint8Array, data: Uint8Array): Promise<boolean> {
    return this.session.call(verifyHmac, verifyHmacRequest(this.id, mac, data));
  }
}
