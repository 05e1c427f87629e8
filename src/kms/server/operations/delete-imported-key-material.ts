/**
 * DeleteImportedKeyMaterial: deletes imported material (the current one unless KeyMaterialId names another); the
 * key becomes PendingImport (PendingDeletion stays), ExpirationModel/ValidTo go away, CurrentKeyMaterialId stays.
 * Material pending rotation is removed altogether, from the primary's replicas too (KMS-SPEC 1.4, 1.7).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteImportedKeyMaterial.html
 */
import { assertExternal, resolveKey, type Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';
import { currentMaterial } from '../records.js';

export const deleteImportedKeyMaterial: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, false);
  assertExternal(key);
  const symmetric = key.keySpec === 'SYMMETRIC_DEFAULT';
  const wanted = input.KeyMaterialId as string | undefined;
  if (wanted !== undefined && !symmetric) {
    throw new KmsException('ValidationException', `KeyMaterialId applies only to SYMMETRIC_DEFAULT keys; omit it for ${key.keySpec} keys.`);
  }
  const target = wanted === undefined ? currentMaterial(key) : key.materials.find((m) => m.id === wanted);
  if (wanted !== undefined && !target) {
    throw new KmsException('NotFoundException', `No key material with id ${wanted} is associated with ${key.arn}.`);
  }
  if (target && target.state === 'PENDING_ROTATION') {
    const isPrimary = key.multiRegion && key.primaryRegion === key.region;
    for (const copy of isPrimary ? ctx.kms.multiRegionCopies(key, ctx.now) : [key]) {
      ctx.kms.update(copy, (k) => { k.materials = k.materials.filter((m) => m.id !== target.id); });
    }
  } else if (target && target.material !== undefined) {
    ctx.kms.update(key, (k) => {
      const m = k.materials.find((x) => x.id === target.id);
      if (m) {
        m.material = undefined;
        delete m.expirationModel;
        delete m.validTo;
      }
    });
  }
  return symmetric && target ? { KeyId: key.arn, KeyMaterialId: target.id } : { KeyId: key.arn };
};
