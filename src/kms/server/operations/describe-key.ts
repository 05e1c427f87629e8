/**
 * DescribeKey: KeyMetadata of a key named by key ID, key ARN, alias name or alias ARN.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
 */
import { resolveKey, type Handler } from '../context.js';
import { keyMetadata } from '../key-metadata.js';

export const describeKey: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, true);
  return { KeyMetadata: keyMetadata(key, ctx) };
};
