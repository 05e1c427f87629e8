/**
 * UntagResource: removes tags by key; unknown tag keys are ignored.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_UntagResource.html
 */
import { assertNotPendingDeletion, resolveKey, type Handler } from '../context.js';

export const untagResource: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, false);
  assertNotPendingDeletion(key);
  const remove = new Set(input.TagKeys as string[]);
  ctx.kms.update(key, (k) => { k.tags = k.tags.filter((t) => !remove.has(t.TagKey)); });
  return undefined;
};
