/**
 * VerifyMac: a wrong MAC is KMSInvalidMacException without a message (like KMSInvalidSignatureException).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html
 */
import { hmacVerify } from '../../../crypto/kms-symmetric.js';
import type { Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';
import { prepareMac } from '../mac.js';

export const verifyMac: Handler = (input, ctx) => {
  const { key, algorithm, hash, material } = prepareMac(ctx, input, 'VerifyMac');
  if (!hmacVerify(hash, material, input.Message as Uint8Array, input.Mac as Uint8Array)) {
    throw new KmsException('KMSInvalidMacException');
  }
  return { KeyId: key.arn, MacValid: true, MacAlgorithm: algorithm };
};
