/**
 * EnableKeyRotation: automatic rotation exists only for symmetric encryption keys whose material KMS made; keys
 * with imported material (EXTERNAL), asymmetric and HMAC keys are refused with UnsupportedOperationException
 * (KMS-SPEC 1.6; key-state table footnotes). This local server does not rotate automatically at all, so it refuses
 * AWS_KMS symmetric keys too, saying so, rather than accepting a setting it would never act on.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html
 */
import { assertNotPendingDeletion, resolveKey, type Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';
import { keyState } from '../records.js';

export const enableKeyRotation: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, false);
  if (key.origin !== 'AWS_KMS') {
    throw new KmsException('UnsupportedOperationException', `${key.arn} origin is ${key.origin} which is not valid for this operation.`);
  }
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsException('UnsupportedOperationException',
      `${key.arn} is a ${key.keySpec} key; automatic key rotation works only for symmetric encryption keys.`);
  }
  assertNotPendingDeletion(key);
  if (keyState(key) === 'Disabled') throw new KmsException('DisabledException', `${key.arn} is disabled.`);
  throw new KmsException('UnsupportedOperationException',
    `This local KMS server does not rotate keys automatically; rotate ${key.arn} with RotateKeyOnDemand instead.`);
};
