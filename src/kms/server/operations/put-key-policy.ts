/**
 * PutKeyPolicy: replaces the stored policy (JSON object, at most 32 KB; principals are not checked).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
 */
import { assertNotPendingDeletion, resolveKey, type Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';
import { checkedPolicy } from '../policy.js';

export const putKeyPolicy: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, false);
  const name = (input.PolicyName as string | undefined) ?? 'default';
  if (name !== 'default') throw new KmsException('NotFoundException', `No such policy exists: ${name}; the only key policy name is "default".`);
  assertNotPendingDeletion(key);
  const policy = checkedPolicy(input.Policy as string, ctx.account);
  ctx.kms.update(key, (k) => { k.policy = policy; });
  return undefined;
};
