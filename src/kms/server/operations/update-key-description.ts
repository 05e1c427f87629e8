/**
 * UpdateKeyDescription.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateKeyDescription.html
 */
import { assertNotPendingDeletion, resolveKey, type Handler } from '../context.js';

export const updateKeyDescription: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, false);
  assertNotPendingDeletion(key);
  ctx.kms.update(key, (k) => { k.description = input.Description as string; });
  return undefined;
};
