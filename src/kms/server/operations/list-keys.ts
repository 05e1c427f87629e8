/**
 * ListKeys: the caller's keys in the Region (every state), in creation order.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html
 */
import type { Handler } from '../context.js';
import { paginate } from '../paginate.js';

export const listKeys: Handler = (input, ctx) => {
  const keys = ctx.kms.keysOf(ctx.account, ctx.region, ctx.now);
  const { page, ...rest } = paginate(keys, input.Limit as number | undefined, input.Marker as string | undefined, 100);
  return { Keys: page.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), ...rest };
};
