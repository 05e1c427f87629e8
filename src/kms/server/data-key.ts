/**
 * Shared part of GenerateDataKey and GenerateDataKeyWithoutPlaintext: exactly one of NumberOfBytes and KeySpec,
 * a symmetric ENCRYPT_DECRYPT key, a random data key sealed under it.
 */
import { randomBytes } from '../../crypto/random.js';
import { dryRunDone, type KmsContext } from './context.js';
import { encryptionKey, sealWithKey } from './encryption.js';
import { KmsException } from './kms-exception.js';

export function generateDataKey(ctx: KmsContext, input: Record<string, unknown>, operation: string):
  { keyArn: string; plaintext: Uint8Array; blob: Uint8Array; materialId: string } {
  if (input.Recipient !== undefined) {
    throw new KmsException('ValidationException', 'Recipient (Nitro Enclaves attestation) is not supported by this local KMS server; omit it.');
  }
  const bytes = input.NumberOfBytes as number | undefined;
  const spec = input.KeySpec as string | undefined;
  if ((bytes === undefined) === (spec === undefined)) {
    throw new KmsException('ValidationException', 'Please specify either number of bytes or key spec.');
  }
  const key = encryptionKey(ctx, input.KeyId as string, 'SYMMETRIC_DEFAULT', operation);
  if (input.DryRun === true) dryRunDone();
  const plaintext = randomBytes(bytes ?? (spec === 'AES_128' ? 16 : 32));
  const { blob, materialId } = sealWithKey(key, plaintext, input.EncryptionContext as Record<string, string> | undefined);
  return { keyArn: key.arn, plaintext, blob, materialId };
}
