/**
 * ListResourceTags: tags in insertion order (an update keeps its position), paged.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html
 */
import { resolveKey, type Handler } from '../context.js';
import { paginate } from '../paginate.js';

export const listResourceTags: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, false);
  const { page, ...rest } = paginate(key.tags, input.Limit as number | undefined, input.Marker as string | undefined, 50);
  return { Tags: page, ...rest };
};
