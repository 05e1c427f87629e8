/**
 * ListKeyRotations for symmetric keys: the rotations (materials made current by RotateKeyOnDemand), or with
 * IncludeKeyMaterial=ALL_KEY_MATERIAL every material with its import and rotation state (KMS-SPEC 1.6).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyRotations.html
 */
import { resolveKey, seconds, type Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';
import { paginate } from '../paginate.js';

export const listKeyRotations: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, false);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsException('UnsupportedOperationException', `${key.arn} is not a symmetric encryption key; only those have key rotations.`);
  }
  const all = input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
  const entries = key.materials.filter((m) => all || m.rotationDate !== undefined).map((m) => ({
    KeyId: key.keyId,
    KeyMaterialId: m.id,
    ...(m.description !== undefined ? { KeyMaterialDescription: m.description } : {}),
    ...(key.origin === 'EXTERNAL' ? { ImportState: m.material !== undefined ? 'IMPORTED' : 'PENDING_IMPORT' } : {}),
    KeyMaterialState: m.state,
    ...(m.expirationModel !== undefined ? { ExpirationModel: m.expirationModel } : {}),
    ...(m.validTo !== undefined ? { ValidTo: seconds(m.validTo) } : {}),
    ...(m.rotationDate !== undefined ? { RotationDate: seconds(m.rotationDate), RotationType: 'ON_DEMAND' } : {}),
  }));
  const { page, ...rest } = paginate(entries, input.Limit as number | undefined, input.Marker as string | undefined, 100);
  return { Rotations: page, ...rest };
};
