/**
 * Alias name rules shared by CreateAlias, UpdateAlias and DeleteAlias (KMS-SPEC 4): the `alias/` prefix (AWS's
 * recorded message) and the reserved `alias/aws/` namespace of AWS managed keys.
 * https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html
 */
import { aliasArn } from '../arns.js';
import type { KmsContext } from '../context.js';
import { KmsException } from '../kms-exception.js';
import type { AliasRecord } from '../records.js';

export function checkAliasName(name: string): void {
  if (!name.startsWith('alias/')) {
    throw new KmsException('ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  }
  if (name.startsWith('alias/aws/')) throw new KmsException('NotAuthorizedException');
}

export function existingAlias(ctx: KmsContext, name: string): AliasRecord {
  const alias = ctx.kms.store.getAlias(ctx.account, ctx.region, name);
  if (!alias) throw new KmsException('NotFoundException', `Alias ${aliasArn(ctx.region, ctx.account, name)} is not found.`);
  return alias;
}
