/**
 * GenerateDataKeyWithoutPlaintext: GenerateDataKey without the plaintext copy.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyWithoutPlaintext.html
 */
import { b64, type Handler } from '../context.js';
import { generateDataKey } from '../data-key.js';

export const generateDataKeyWithoutPlaintext: Handler = (input, ctx) => {
  const { keyArn, plaintext, blob, materialId } = generateDataKey(ctx, input, 'GenerateDataKeyWithoutPlaintext');
  plaintext.fill(0);
  return { CiphertextBlob: b64(blob), KeyId: keyArn, KeyMaterialId: materialId };
};
