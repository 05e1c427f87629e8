/**
 * EnableKey: Disabled -> Enabled; not allowed while PendingImport or PendingDeletion.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKey.html
 */
import { assertNotPendingDeletion, resolveKey, type Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';
import { keyState } from '../records.js';

export const enableKey: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, false);
  assertNotPendingDeletion(key);
  if (keyState(key) === 'PendingImport') throw new KmsException('KMSInvalidStateException', `${key.arn} is pending import.`);
  if (!key.enabled) ctx.kms.update(key, (k) => { k.enabled = true; });
  return undefined;
};
