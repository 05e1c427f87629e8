/**
 * ScheduleKeyDeletion: PendingDeletion for 7 to 30 days (default 30); the key is deleted when the date passes
 * (applied on the next access).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html
 */
import { assertNotPendingDeletion, resolveKey, seconds, type Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';
import { validationMessage } from '../validate.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const scheduleKeyDeletion: Handler = (input, ctx) => {
  const days = (input.PendingWindowInDays as number | undefined) ?? 30;
  if (days < 7 || days > 30) {
    const bound = days < 7 ? 'greater than or equal to 7' : 'less than or equal to 30';
    throw new KmsException('ValidationException',
      validationMessage([`Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value ${bound}`]));
  }
  const key = resolveKey(ctx, input.KeyId as string, false);
  assertNotPendingDeletion(key);
  const deletionDate = ctx.now + days * DAY_MS;
  ctx.kms.update(key, (k) => {
    k.deletionDate = deletionDate;
    k.pendingWindowInDays = days;
  });
  return { KeyId: key.arn, DeletionDate: seconds(deletionDate), KeyState: 'PendingDeletion', PendingWindowInDays: days };
};
