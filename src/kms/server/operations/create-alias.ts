/**
 * CreateAlias: a name for a key (key ID or key ARN) in the caller's account and Region.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
 */
import { aliasArn } from '../arns.js';
import { assertNotPendingDeletion, resolveKey, type Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';
import { checkAliasName } from './alias-name.js';

export const createAlias: Handler = (input, ctx) => {
  const name = input.AliasName as string;
  checkAliasName(name);
  if (ctx.kms.store.getAlias(ctx.account, ctx.region, name)) {
    throw new KmsException('AlreadyExistsException', `An alias with the name ${aliasArn(ctx.region, ctx.account, name)} already exists`);
  }
  const key = resolveKey(ctx, input.TargetKeyId as string, false);
  assertNotPendingDeletion(key);
  ctx.kms.store.putAlias({
    account: ctx.account, region: ctx.region, name, targetKeyId: key.keyId, createdAt: ctx.now, updatedAt: ctx.now,
  });
  return undefined;
};
