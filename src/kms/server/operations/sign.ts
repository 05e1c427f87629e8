/**
 * Sign: ECDSA (DER signature), RSASSA-PKCS1-v1_5 or RSASSA-PSS over a RAW message (hashed here, at most 4096
 * bytes) or a DIGEST (signed as given). KMS-SPEC 3.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html
 */
import { b64, type Handler } from '../context.js';
import { prepareSigning } from '../signing.js';

export const sign: Handler = (input, ctx) => {
  const { key, signer, algorithm, info, isDigest } = prepareSigning(ctx, input, 'Sign');
  const signature = signer.sign(info.scheme, info.hash, input.Message as Uint8Array, isDigest);
  return { KeyId: key.arn, Signature: b64(signature), SigningAlgorithm: algorithm };
};
