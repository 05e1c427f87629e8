/**
 * Symmetric keys, type 0x08, firmware 2.3.1+ (PROTOCOL.md 5.6): AES-128/192/256 for raw AES-ECB and AES-CBC
 * (0x6F-0x72, no padding: whole 16-byte blocks). Long inputs are sent in frame-sized chunks; for CBC the next
 * chunk's IV is the last ciphertext block, so the result equals one CBC pass. Also exportable with
 * GetRsaWrappedKey (raw key bytes inside the envelope).
 */
import { own } from '../../protocol/commands/shared.js';
import { UsageError } from '../../errors.js';
import { decryptAesCbc } from '../../protocol/commands/decrypt-aes-cbc.js';
import { decryptAesEcb } from '../../protocol/commands/decrypt-aes-ecb.js';
import { encryptAesCbc } from '../../protocol/commands/encrypt-aes-cbc.js';
import { encryptAesEcb } from '../../protocol/commands/encrypt-aes-ecb.js';
import { generateSymmetricKey } from '../../protocol/commands/generate-symmetric-key.js';
import { putSymmetricKey } from '../../protocol/commands/put-symmetric-key.js';
import { keyId, type KeyId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import { maxInnerLength } from '../../session/index.js';
import type { HsmSession } from '../session.js';
import { newObject, toAlgorithm, YubiHsmObject, type AlgorithmInput, type CreateOptions } from './object.js';
import type { PublicWrapKey } from './public-wrap-key.js';
import type { RsaWrapOptions } from './rsa-wrap-options.js';

const BLOCK = 16;

function checkBlocks(data: Uint8Array, what: string): void {
  if (data.length === 0 || data.length % BLOCK !== 0) {
    throw new UsageError('HSM_BAD_ARGUMENT', `${what} needs whole 16-byte blocks, got ${data.length} bytes; pad the data first.`);
  }
}

export class SymmetricKey extends YubiHsmObject<KeyId> {
  readonly type = ObjectType.SYMMETRIC_KEY;

  static from(session: HsmSession, id: number | string): SymmetricKey {
    return new SymmetricKey(session, keyId(id));
  }

  /** GenerateSymmetricKey (0x6E); session capability generate-symmetric-key. */
  static async generate(session: HsmSession, o: CreateOptions & { algorithm: AlgorithmInput }): Promise<SymmetricKey> {
    const req = newObject(o, toAlgorithm(o.algorithm, ObjectType.SYMMETRIC_KEY));
    return new SymmetricKey(session, keyId(await session.call(generateSymmetricKey, req)));
  }

  /** PutSymmetricKey (0x6D); session capability put-symmetric-key. The key is wiped after sending. */
  static async put(session: HsmSession, o: CreateOptions & { algorithm: AlgorithmInput; key: Uint8Array }): Promise<SymmetricKey> {
    const key = own(o.key);
    try {
      const req = { ...newObject(o, toAlgorithm(o.algorithm, ObjectType.SYMMETRIC_KEY)), key };
      return new SymmetricKey(session, keyId(await session.call(putSymmetricKey, req)));
    } finally {
      key.fill(0);
    }
  }

  /** Largest data chunk per command: what fits one frame after the key id (and the IV for CBC). */
  private chunkSize(ivLength: number): number {
    const room = maxInnerLength(this.session.hsm.maxFrame) - 3 - 2 - ivLength;
    return room - (room % BLOCK);
  }

  /** EncryptEcb (0x70). */
  encryptEcb(data: Uint8Array): Promise<Uint8Array> {
    return this.ecb(data, true);
  }

  /** DecryptEcb (0x6F). */
  decryptEcb(data: Uint8Array): Promise<Uint8Array> {
    return this.ecb(data, false);
  }

  /** EncryptCbc (0x72) with a 16-byte IV. */
  encryptCbc(iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
    return this.cbc(iv, data, true);
  }

  /** DecryptCbc (0x71) with a 16-byte IV. */
  decryptCbc(iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
    return this.cbc(iv, data, false);
  }

  /** GetRsaWrappedKey (0x74): the raw AES key, RSA-AES-wrapped under `wrapKey`. */
  getRsaWrappedKey(wrapKey: PublicWrapKey, o: RsaWrapOptions = {}): Promise<Uint8Array> {
    return this.rsaWrappedKeyMaterial(wrapKey, o);
  }

  private async ecb(data: Uint8Array, encrypt: boolean): Promise<Uint8Array> {
    checkBlocks(data, encrypt ? 'EncryptEcb' : 'DecryptEcb');
    const out = new Uint8Array(data.length);
    const step = this.chunkSize(0);
    for (let off = 0; off < data.length; off += step) {
      const part = data.subarray(off, off + step);
      const res = await this.session.call(encrypt ? encryptAesEcb : decryptAesEcb, { keyId: this.id, data: part });
      out.set(res, off);
    }
    return out;
  }

  private async cbc(iv: Uint8Array, data: Uint8Array, encrypt: boolean): Promise<Uint8Array> {
    if (iv.length !== BLOCK) throw new UsageError('HSM_BAD_ARGUMENT', `AES-CBC needs a 16-byte IV, got ${iv.length} bytes.`);
    checkBlocks(data, encrypt ? 'EncryptCbc' : 'DecryptCbc');
    const out = new Uint8Array(data.length);
    const step = this.chunkSize(BLOCK);
    let chain = own(iv);
    for (let off = 0; off < data.length; off += step) {
      const part = data.subarray(off, off + step);
      const res = await this.session.call(encrypt ? encryptAesCbc : decryptAesCbc, { keyId: this.id, iv: chain, data: part });
      out.set(res, off);
      const lastCipher = encrypt ? res : part;
      chain = own(lastCipher.subarray(lastCipher.length - BLOCK));
    }
    return out;
  }
}
