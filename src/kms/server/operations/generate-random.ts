/**
 * GenerateRandom: 1 to 1024 random bytes.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateRandom.html
 */
import { randomBytes } from '../../../crypto/random.js';
import { b64, type Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';
import { validationMessage } from '../validate.js';

export const generateRandom: Handler = (input) => {
  if (input.CustomKeyStoreId !== undefined || input.Recipient !== undefined) {
    throw new KmsException('UnsupportedOperationException', 'CustomKeyStoreId and Recipient are not supported by this local KMS server; omit them.');
  }
  const n = input.NumberOfBytes as number | undefined;
  if (n === undefined) {
    throw new KmsException('ValidationException',
      validationMessage(["Value null at 'numberOfBytes' failed to satisfy constraint: Member must not be null"]));
  }
  return { Plaintext: b64(randomBytes(n)) };
};
