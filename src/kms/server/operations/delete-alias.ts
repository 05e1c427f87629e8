/**
 * DeleteAlias.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteAlias.html
 */
import type { Handler } from '../context.js';
import { checkAliasName, existingAlias } from './alias-name.js';

export const deleteAlias: Handler = (input, ctx) => {
  const name = input.AliasName as string;
  checkAliasName(name);
  ctx.kms.store.deleteAlias(existingAlias(ctx, name));
  return undefined;
};
