/**
 * UpdateAlias: points an existing alias at another key.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html
 */
import { assertNotPendingDeletion, resolveKey, type Handler } from '../context.js';
import { checkAliasName, existingAlias } from './alias-name.js';

export const updateAlias: Handler = (input, ctx) => {
  const name = input.AliasName as string;
  checkAliasName(name);
  const alias = existingAlias(ctx, name);
  const key = resolveKey(ctx, input.TargetKeyId as string, false);
  assertNotPendingDeletion(key);
  ctx.kms.store.putAlias({ ...alias, targetKeyId: key.keyId, updatedAt: ctx.now });
  return undefined;
};
