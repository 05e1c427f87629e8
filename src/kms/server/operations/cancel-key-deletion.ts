/**
 * CancelKeyDeletion: PendingDeletion -> Disabled (or PendingImport when the key has no material).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html
 */
import { resolveKey, type Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';

export const cancelKeyDeletion: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, false);
  if (key.deletionDate === undefined) throw new KmsException('KMSInvalidStateException', `${key.arn} is not pending deletion.`);
  ctx.kms.update(key, (k) => {
    delete k.deletionDate;
    delete k.pendingWindowInDays;
    k.enabled = false;
  });
  return { KeyId: key.arn };
};
