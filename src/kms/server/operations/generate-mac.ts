/**
 * GenerateMac: HMAC of the message under an HMAC key.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html
 */
import { hmac } from '../../../crypto/digest.js';
import { b64, type Handler } from '../context.js';
import { prepareMac } from '../mac.js';

export const generateMac: Handler = (input, ctx) => {
  const { key, algorithm, hash, material } = prepareMac(ctx, input, 'GenerateMac');
  return { Mac: b64(hmac(hash, material, input.Message as Uint8Array)), MacAlgorithm: algorithm, KeyId: key.arn };
};
