/**
 * Shared parts of Encrypt, Decrypt and GenerateDataKey: key checks and the symmetric envelope.
 */
import type { EncryptionAlgorithmSpec } from '../model/enums.js';
import { encryptionAlgorithmsFor } from '../model/key-specs.js';
import { sealCiphertext } from './ciphertext.js';
import { assertUsable, assertUsage, resolveKey, type KmsContext } from './context.js';
import { KmsException } from './kms-exception.js';
import { currentMaterial, type KeyRecord } from './records.js';

/** A usable ENCRYPT_DECRYPT key whose spec supports `algorithm`. */
export function encryptionKey(ctx: KmsContext, keyId: string, algorithm: EncryptionAlgorithmSpec, operation: string): KeyRecord {
  const key = resolveKey(ctx, keyId, true);
  assertUsable(key);
  assertUsage(key, 'ENCRYPT_DECRYPT', operation);
  if (!encryptionAlgorithmsFor(key.keySpec).includes(algorithm)) {
    throw new KmsException('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`);
  }
  return key;
}

/** Encrypts under the key's current symmetric material; returns the blob and the material's id. */
export function sealWithKey(key: KeyRecord, plaintext: Uint8Array, context: Record<string, string> | undefined):
  { blob: Uint8Array; materialId: string } {
  const current = currentMaterial(key);
  if (!current?.material) throw new KmsException('KMSInvalidStateException', `${key.arn} is pending import.`);
  return { blob: sealCiphertext(key.keyId, current.id, current.material, plaintext, context), materialId: current.id };
}
