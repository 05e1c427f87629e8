/**
 * Verify: a valid signature answers SignatureValid true; any invalid one is KMSInvalidSignatureException without a
 * message (recorded on AWS), never SignatureValid false. KMS-SPEC 3.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html
 */
import type { Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';
import { prepareSigning } from '../signing.js';

export const verify: Handler = (input, ctx) => {
  const { key, signer, algorithm, info, isDigest } = prepareSigning(ctx, input, 'Verify');
  if (!signer.verify(info.scheme, info.hash, input.Message as Uint8Array, isDigest, input.Signature as Uint8Array)) {
    throw new KmsException('KMSInvalidSignatureException');
  }
  return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
};
