/**
 * TagResource: adds or updates tags (not while PendingDeletion).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html
 */
import type { Tag } from '../../model/shapes.js';
import { assertNotPendingDeletion, resolveKey, type Handler } from '../context.js';
import { mergeTags } from '../tags.js';

export const tagResource: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, false);
  assertNotPendingDeletion(key);
  const tags = mergeTags(key.tags, input.Tags as Tag[]);
  ctx.kms.update(key, (k) => { k.tags = tags; });
  return undefined;
};
