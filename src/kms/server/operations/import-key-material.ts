/**
 * ImportKeyMaterial: unwraps EncryptedKeyMaterial with the wrapping key of the import token, checks it against the
 * key spec and the material already associated with the key, and makes the key Enabled. Checks run in the order of
 * KMS-SPEC 1.3 (parameters, key, origin, state, expiration, token, token expiry, unwrap, material, same-material);
 * a failure changes nothing. Symmetric keys take several materials (ImportType, 2025 rotation; KMS-SPEC 1.6).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html
 */
import { unwrapKeyMaterial, wrappingPrivateKey, type WrapScheme } from '../../../crypto/kms-import.js';
import { keyMaterialId } from '../../../crypto/kms-symmetric.js';
import type { ExpirationModelType, ImportType } from '../../model/enums.js';
import { assertExternal, assertNotPendingDeletion, resolveKey, type Handler, type KmsContext } from '../context.js';
import { openImportToken } from '../import-token.js';
import { KmsException } from '../kms-exception.js';
import { materialProblem } from '../material.js';
import { currentMaterial, keyState, type KeyRecord, type MaterialRecord } from '../records.js';

interface ImportKeyMaterialInput {
  KeyId: string;
  ImportToken: Uint8Array;
  EncryptedKeyMaterial: Uint8Array;
  ValidTo?: Date;
  ExpirationModel?: ExpirationModelType;
  ImportType?: ImportType;
  KeyMaterialDescription?: string;
  KeyMaterialId?: string;
}

const MAX_VALIDITY_MS = 365 * 24 * 60 * 60 * 1000;

const schemes: Record<string, WrapScheme> = {
  RSAES_OAEP_SHA_1: { kind: 'oaep', hash: 'sha1' },
  RSAES_OAEP_SHA_256: { kind: 'oaep', hash: 'sha256' },
  RSA_AES_KEY_WRAP_SHA_1: { kind: 'rsa-aes', hash: 'sha1' },
  RSA_AES_KEY_WRAP_SHA_256: { kind: 'rsa-aes', hash: 'sha256' },
};

function validation(message: string): KmsException {
  return new KmsException('ValidationException', message);
}

function incorrect(message: string): KmsException {
  return new KmsException('IncorrectKeyMaterialException', message);
}

/** Rows 4-6: the expiration model and ValidTo; returns ValidTo in epoch ms (undefined: does not expire). */
function checkExpiration(input: ImportKeyMaterialInput, now: number): number | undefined {
  const model = input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES';
  if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    if (input.ValidTo) throw validation('A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE');
    return undefined;
  }
  if (!input.ValidTo) throw validation('A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
  const validTo = input.ValidTo.getTime();
  if (validTo <= now) throw validation('The validTo date must be in the future.');
  if (validTo > now + MAX_VALIDITY_MS) throw validation('The validTo date must be at most 365 days in the future.');
  return validTo;
}

/** Rows 7-10: token, its expiry, unwrap, material checks; returns the plaintext material. */
function unwrap(ctx: KmsContext, key: KeyRecord, input: ImportKeyMaterialInput): Uint8Array {
  const claims = openImportToken(ctx.kms.store.tokenKey, input.ImportToken);
  const wrapping = claims && ctx.kms.store.getWrappingKey(claims.wrappingKeyId);
  const scheme = claims && schemes[claims.wrappingAlgorithm];
  if (!claims || !wrapping || !scheme || claims.account !== key.account || claims.region !== key.region || claims.keyId !== key.keyId) {
    throw new KmsException('InvalidImportTokenException',
      `The import token is not valid for ${key.arn}: use the ImportToken that GetParametersForImport returned for this key.`);
  }
  if (ctx.now >= claims.expiresAt) {
    throw new KmsException('ExpiredImportTokenException',
      `The import token expired at ${new Date(claims.expiresAt).toISOString()}: call GetParametersForImport again and wrap the key material with its new public key.`);
  }
  const result = unwrapKeyMaterial(scheme, wrappingPrivateKey(wrapping.pkcs8), input.EncryptedKeyMaterial);
  if (!result.ok) {
    const why = result.reason === 'size' ? `: ${result.detail}` : '';
    throw new KmsException('InvalidCiphertextException',
      `The encrypted key material cannot be unwrapped with the ${claims.wrappingAlgorithm} wrapping key of this import token${why}. Wrap the key material with the public key and wrapping algorithm of the same GetParametersForImport call.`);
  }
  const problem = materialProblem(key.keySpec, result.material);
  if (problem !== undefined) {
    result.material.fill(0);
    throw incorrect(`The key material is not valid for a ${key.keySpec} KMS key: ${problem}.`);
  }
  return result.material;
}

/** Rows 11-13: where the material goes; returns the changed key record's materials and the material's id. */
function place(key: KeyRecord, input: ImportKeyMaterialInput, id: string): { materials: MaterialRecord[]; target: MaterialRecord; isNew: boolean } {
  const materials = key.materials.map((m) => ({ ...m }));
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    if (materials.length > 0 && materials[0].id !== id) {
      throw incorrect(`The key material does not match the key material previously imported into ${key.arn}; import the same key material.`);
    }
    if (materials.length === 0) materials.push({ id, material: undefined, state: 'CURRENT' });
    return { materials, target: materials[0], isNew: false };
  }
  const importType = input.ImportType ?? (materials.length === 0 ? 'NEW_KEY_MATERIAL' : 'EXISTING_KEY_MATERIAL');
  if (importType === 'NEW_KEY_MATERIAL') {
    if (input.KeyMaterialId !== undefined) throw validation('KeyMaterialId cannot be used with ImportType NEW_KEY_MATERIAL; omit it.');
    if (materials.some((m) => m.id === id)) {
      throw incorrect(`This key material (id: ${id}) is already associated with ${key.arn}; import it with ImportType EXISTING_KEY_MATERIAL.`);
    }
    const pending = materials.find((m) => m.state === 'PENDING_ROTATION');
    if (pending) {
      throw new KmsException('KMSInvalidStateException',
        `New key material (id: ${id}) cannot be imported into KMS key ${key.arn}, because another key material (id: ${pending.id}) is pending rotation.`);
    }
    const target: MaterialRecord = { id, material: undefined, state: materials.length === 0 ? 'CURRENT' : 'PENDING_ROTATION' };
    materials.push(target);
    return { materials, target, isNew: true };
  }
  const targetId = input.KeyMaterialId ?? currentMaterial(key)?.id;
  const target = materials.find((m) => m.id === targetId);
  if (!target) {
    throw incorrect(targetId === undefined
      ? `${key.arn} has no key material to re-import; use ImportType NEW_KEY_MATERIAL.`
      : `No key material with id ${targetId} is associated with ${key.arn}.`);
  }
  if (target.id !== id) {
    throw incorrect(`The key material does not match the key material ${target.id} of ${key.arn}; import the same key material.`);
  }
  return { materials, target, isNew: false };
}

/**
 * A multi-Region key holds one key material (one set, for symmetric keys) in every Region (KMS-SPEC 1.7): material
 * imported into a replica must be the primary's (or, while the primary has none, another replica's), and the
 * primary's first material must be what a replica already holds. Only the primary adds new material (rotation).
 */
function checkMultiRegionMaterial(ctx: KmsContext, key: KeyRecord, id: string): void {
  if (!key.multiRegion) return;
  const isPrimary = key.primaryRegion === key.region;
  if (isPrimary && key.materials.length > 0) return; // its own materials decide (place)
  const others = ctx.kms.multiRegionCopies(key, ctx.now).filter((c) => c.region !== key.region);
  const primary = isPrimary ? undefined : others.find((c) => c.region === key.primaryRegion);
  const source = primary && primary.materials.length > 0 ? [primary] : others;
  const known = new Set(source.flatMap((c) => c.materials.map((m) => m.id)));
  if (known.size === 0 || known.has(id)) return;
  const where = source.filter((c) => c.materials.length > 0).map((c) => c.region).join(', ');
  throw incorrect(`The key material does not match the key material of multi-Region key ${key.arn} in ${where}; import the same key material into every Region.`);
}

export const importKeyMaterial: Handler = (raw, ctx) => {
  const input = raw as unknown as ImportKeyMaterialInput;
  const key = resolveKey(ctx, input.KeyId, false);
  assertExternal(key);
  assertNotPendingDeletion(key);
  const symmetric = key.keySpec === 'SYMMETRIC_DEFAULT';
  if (!symmetric && (input.ImportType !== undefined || input.KeyMaterialDescription !== undefined || input.KeyMaterialId !== undefined)) {
    throw validation(`ImportType, KeyMaterialDescription and KeyMaterialId apply only to SYMMETRIC_DEFAULT keys; omit them for ${key.keySpec} keys.`);
  }
  const validTo = checkExpiration(input, ctx.now);
  const material = unwrap(ctx, key, input);
  let id: string;
  let placed: ReturnType<typeof place>;
  let updated: KeyRecord;
  try {
    id = keyMaterialId(ctx.kms.store.materialIdKey, key.keyId, material);
    checkMultiRegionMaterial(ctx, key, id);
    placed = place(key, input, id);
    const { materials, target } = placed;
    target.material = material;
    target.expirationModel = input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES';
    if (validTo === undefined) delete target.validTo;
    else target.validTo = validTo;
    if (input.KeyMaterialDescription !== undefined) target.description = input.KeyMaterialDescription;
    const wasPendingImport = keyState(key) === 'PendingImport';
    updated = ctx.kms.update(key, (k) => {
      k.materials = materials;
      if (wasPendingImport) k.enabled = true;
    });
  } catch (err) {
    // Refused, or not stored (the store changes nothing when its write fails): the plaintext dies here.
    material.fill(0);
    throw err;
  }
  const { target, isNew } = placed;
  if (isNew && target.state === 'PENDING_ROTATION' && updated.multiRegion && updated.primaryRegion === updated.region) {
    // Replicas learn the new material's id; each must import the same material (KMS-SPEC 1.7).
    for (const copy of ctx.kms.multiRegionCopies(updated, ctx.now)) {
      if (copy.region === updated.region || copy.materials.some((m) => m.id === id)) continue;
      ctx.kms.update(copy, (k) => { k.materials.push({ id, material: undefined, state: 'PENDING_ROTATION' }); });
    }
  }
  return symmetric ? { KeyId: key.arn, KeyMaterialId: id } : { KeyId: key.arn };
};
