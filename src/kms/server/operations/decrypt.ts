/**
 * Decrypt: symmetric blobs name their key and material (KeyId optional, must match when given); RSA ciphertexts
 * need KeyId and the RSAES_OAEP algorithm. Anything that does not decrypt is InvalidCiphertextException.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html
 */
import { KmsAsymmetricKey } from '../../../crypto/kms-signing.js';
import type { EncryptionAlgorithmSpec } from '../../model/enums.js';
import { openCiphertext, parseCiphertext } from '../ciphertext.js';
import { b64, dryRunDone, resolveKey, type Handler } from '../context.js';
import { encryptionKey } from '../encryption.js';
import { KmsException } from '../kms-exception.js';
import { currentMaterial } from '../records.js';
import { validationMessage } from '../validate.js';

export const decrypt: Handler = (input, ctx) => {
  const blob = input.CiphertextBlob as Uint8Array | undefined;
  if (!blob) {
    throw new KmsException('ValidationException',
      validationMessage(["Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null"]));
  }
  if (input.Recipient !== undefined) {
    throw new KmsException('ValidationException', 'Recipient (Nitro Enclaves attestation) is not supported by this local KMS server; omit it.');
  }
  const algorithm = (input.EncryptionAlgorithm as EncryptionAlgorithmSpec | undefined) ?? 'SYMMETRIC_DEFAULT';
  const context = input.EncryptionContext as Record<string, string> | undefined;
  if (algorithm !== 'SYMMETRIC_DEFAULT') {
    if (input.KeyId === undefined) {
      throw new KmsException('ValidationException', `KeyId is required to decrypt with ${algorithm}; name the RSA key.`);
    }
    const key = encryptionKey(ctx, input.KeyId as string, algorithm, 'Decrypt');
    if (input.DryRun === true) dryRunDone();
    const rsa = KmsAsymmetricKey.of(currentMaterial(key)?.material as Uint8Array);
    const plaintext = rsa.oaepDecrypt(algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256', blob);
    if (!plaintext) throw new KmsException('InvalidCiphertextException');
    return { KeyId: key.arn, Plaintext: b64(plaintext), EncryptionAlgorithm: algorithm };
  }
  const parsed = parseCiphertext(blob);
  if (!parsed) throw new KmsException('InvalidCiphertextException');
  if (input.KeyId !== undefined && resolveKey(ctx, input.KeyId as string, true).keyId !== parsed.keyId) {
    throw new KmsException('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
  }
  const key = encryptionKey(ctx, parsed.keyId, algorithm, 'Decrypt');
  const material = key.materials.find((m) => m.id === parsed.materialId)?.material;
  if (input.DryRun === true) dryRunDone();
  const plaintext = material && openCiphertext(parsed, material, context);
  if (!plaintext) throw new KmsException('InvalidCiphertextException');
  return { KeyId: key.arn, Plaintext: b64(plaintext), EncryptionAlgorithm: algorithm, KeyMaterialId: parsed.materialId };
};
