/**
 * UpdateAlias: points an existing alias at another key. The new key must be of the same type as the current one
 * (symmetric encryption, asymmetric or HMAC) and have the same key usage, as the API reference requires (the
 * exception AWS names for a mismatch is not recorded: ValidationException is inferred).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html
 */
import { assertNotPendingDeletion, resolveKey, type Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';
import type { KeyRecord } from '../records.js';
import { checkAliasName, existingAlias } from './alias-name.js';

function keyType(k: KeyRecord): string {
  if (k.keySpec === 'SYMMETRIC_DEFAULT') return 'symmetric encryption';
  return k.keySpec.startsWith('HMAC_') ? 'HMAC' : 'asymmetric';
}

export const updateAlias: Handler = (input, ctx) => {
  const name = input.AliasName as string;
  checkAliasName(name);
  const alias = existingAlias(ctx, name);
  const key = resolveKey(ctx, input.TargetKeyId as string, false);
  assertNotPendingDeletion(key);
  const current = ctx.kms.findKey(ctx.account, ctx.region, alias.targetKeyId, ctx.now);
  if (current && (keyType(current) !== keyType(key) || current.keyUsage !== key.keyUsage)) {
    throw new KmsException('ValidationException',
      `${name} points to a${keyType(current) === 'asymmetric' ? 'n' : ''} ${keyType(current)} key with key usage ${current.keyUsage}; `
      + `the new target key ${key.arn} (${keyType(key)}, ${key.keyUsage}) must be of the same type and key usage.`);
  }
  ctx.kms.store.putAlias({ ...alias, targetKeyId: key.keyId, updatedAt: ctx.now });
  return undefined;
};
