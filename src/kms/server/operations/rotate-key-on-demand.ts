/**
 * RotateKeyOnDemand for symmetric keys: AWS_KMS origin gets new generated material; EXTERNAL origin promotes the
 * material imported with ImportType NEW_KEY_MATERIAL (PENDING_ROTATION -> CURRENT, the old one NON_CURRENT). A
 * multi-Region primary rotates its replicas with it once each has imported that material. Immediate here (AWS
 * finishes it asynchronously). KMS-SPEC 1.6.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html
 */
import { keyMaterialId } from '../../../crypto/kms-symmetric.js';
import { assertUsable, resolveKey, type Handler, type KmsContext } from '../context.js';
import { KmsException } from '../kms-exception.js';
import { generateMaterial } from '../material.js';
import type { KeyRecord, MaterialRecord } from '../records.js';

function promote(materials: MaterialRecord[], next: MaterialRecord, now: number): MaterialRecord[] {
  return [
    ...materials.filter((m) => m.id !== next.id).map((m) => (m.state === 'CURRENT' ? { ...m, state: 'NON_CURRENT' as const } : m)),
    { ...next, state: 'CURRENT', rotationDate: now },
  ];
}

/** The key and its multi-Region copies as stored now, refused when it cannot rotate. */
function rotatable(input: Record<string, unknown>, ctx: KmsContext): { key: KeyRecord; copies: KeyRecord[] } {
  const key = resolveKey(ctx, input.KeyId as string, false);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') throw new KmsException('UnsupportedOperationException');
  assertUsable(key);
  if (key.multiRegion && key.primaryRegion !== key.region) {
    throw new KmsException('UnsupportedOperationException', `${key.arn} is a multi-Region replica key; rotate its primary key.`);
  }
  return { key, copies: key.multiRegion ? ctx.kms.multiRegionCopies(key, ctx.now) : [key] };
}

export const rotateKeyOnDemand: Handler = async (input, ctx) => {
  let { key, copies } = rotatable(input, ctx);
  let next: MaterialRecord;
  if (key.origin === 'EXTERNAL') {
    const pending = key.materials.find((m) => m.state === 'PENDING_ROTATION');
    if (!pending) {
      throw new KmsException('KMSInvalidStateException', `No available key material pending rotation for the key: ${key.arn}.`);
    }
    const lagging = copies.find((c) => !c.materials.some((m) => m.id === pending.id && m.material !== undefined));
    if (lagging) {
      throw new KmsException('KMSInvalidStateException',
        `Key material ${pending.id} is not yet imported into the replica key in ${lagging.region}; import it there with ImportType EXISTING_KEY_MATERIAL first.`);
    }
    next = pending;
  } else {
    const material = await generateMaterial('SYMMETRIC_DEFAULT');
    // Other requests ran while the material was generated (one may have disabled, deleted or changed the key):
    // read the key again, so that what is written back is the key as it is now plus this rotation.
    try {
      ({ key, copies } = rotatable(input, ctx));
    } catch (e) {
      material.fill(0);
      throw e;
    }
    next = { id: keyMaterialId(ctx.kms.store.materialIdKey, key.keyId, material), material, state: 'CURRENT' };
  }
  for (const copy of copies) {
    const mine = copy.materials.find((m) => m.id === next.id) ?? next;
    ctx.kms.update(copy, (k) => { k.materials = promote(k.materials, mine, ctx.now); });
  }
  return { KeyId: key.arn };
};
