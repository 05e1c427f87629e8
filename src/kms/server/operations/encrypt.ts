/**
 * Encrypt: AES-256-GCM under a symmetric key's current material (encryption context authenticated), or RSAES-OAEP
 * under an RSA ENCRYPT_DECRYPT key.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html
 */
import { KmsAsymmetricKey } from '../../../crypto/kms-signing.js';
import type { EncryptionAlgorithmSpec } from '../../model/enums.js';
import { b64, dryRunDone, type Handler } from '../context.js';
import { encryptionKey, sealWithKey } from '../encryption.js';
import { KmsException } from '../kms-exception.js';
import { currentMaterial } from '../records.js';

export const encrypt: Handler = (input, ctx) => {
  const algorithm = (input.EncryptionAlgorithm as EncryptionAlgorithmSpec | undefined) ?? 'SYMMETRIC_DEFAULT';
  const key = encryptionKey(ctx, input.KeyId as string, algorithm, 'Encrypt');
  const plaintext = input.Plaintext as Uint8Array;
  const context = input.EncryptionContext as Record<string, string> | undefined;
  if (algorithm === 'SYMMETRIC_DEFAULT') {
    if (input.DryRun === true) dryRunDone();
    return { CiphertextBlob: b64(sealWithKey(key, plaintext, context).blob), KeyId: key.arn, EncryptionAlgorithm: algorithm };
  }
  if (context !== undefined) {
    throw new KmsException('ValidationException', 'EncryptionContext is not supported with asymmetric KMS keys; omit it.');
  }
  const rsa = KmsAsymmetricKey.of(currentMaterial(key)?.material as Uint8Array);
  const hash = algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256';
  if (plaintext.length > rsa.oaepCapacity(hash)) {
    throw new KmsException('ValidationException',
      `The plaintext is ${plaintext.length} bytes; ${algorithm} with a ${key.keySpec} key encrypts at most ${rsa.oaepCapacity(hash)} bytes.`);
  }
  if (input.DryRun === true) dryRunDone();
  return { CiphertextBlob: b64(rsa.oaepEncrypt(hash, plaintext)), KeyId: key.arn, EncryptionAlgorithm: algorithm };
};
