/**
 * ListAliases: the caller's aliases in the Region, optionally only those of one key (key ID or key ARN).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html
 */
import type { AliasListEntry } from '../../model/shapes.js';
import { aliasArn } from '../arns.js';
import { resolveKey, seconds, type Handler } from '../context.js';
import { paginate } from '../paginate.js';

export const listAliases: Handler = (input, ctx) => {
  const only = input.KeyId === undefined ? undefined : resolveKey(ctx, input.KeyId as string, false).keyId;
  const aliases = ctx.kms.store.aliases(ctx.account, ctx.region)
    .filter((a) => only === undefined || a.targetKeyId === only)
    .filter((a) => ctx.kms.findKey(ctx.account, ctx.region, a.targetKeyId, ctx.now) !== undefined);
  const { page, ...rest } = paginate(aliases, input.Limit as number | undefined, input.Marker as string | undefined, 50);
  return {
    Aliases: page.map((a): AliasListEntry => ({
      AliasName: a.name,
      AliasArn: aliasArn(ctx.region, ctx.account, a.name),
      TargetKeyId: a.targetKeyId,
      CreationDate: seconds(a.createdAt),
      LastUpdatedDate: seconds(a.updatedAt),
    })),
    ...rest,
  };
};
