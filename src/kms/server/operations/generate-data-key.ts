/**
 * GenerateDataKey: a random data key, in plaintext and encrypted under a symmetric KMS key.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html
 */
import { b64, type Handler } from '../context.js';
import { generateDataKey as make } from '../data-key.js';

export const generateDataKey: Handler = (input, ctx) => {
  const { keyArn, plaintext, blob, materialId } = make(ctx, input, 'GenerateDataKey');
  return { CiphertextBlob: b64(blob), Plaintext: b64(plaintext), KeyId: keyArn, KeyMaterialId: materialId };
};
