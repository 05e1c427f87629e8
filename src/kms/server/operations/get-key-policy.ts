/**
 * GetKeyPolicy: the stored policy, verbatim (PolicyName `default`, the only name KMS has).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
 */
import { resolveKey, type Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';

export const getKeyPolicy: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, false);
  const name = (input.PolicyName as string | undefined) ?? 'default';
  if (name !== 'default') throw new KmsException('NotFoundException', `No such policy exists: ${name}; the only key policy name is "default".`);
  return { Policy: key.policy, PolicyName: 'default' };
};
