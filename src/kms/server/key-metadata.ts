/**
 * KeyMetadata as CreateKey, DescribeKey and ReplicateKey return it, with the field rules recorded on AWS
 * (KMS-SPEC 1.1): ExpirationModel only while material is imported, ValidTo only for KEY_MATERIAL_EXPIRES (the
 * earliest over the key's materials), CurrentKeyMaterialId only for SYMMETRIC_DEFAULT and kept after deletion.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html
 */
import type { KeyState } from '../model/enums.js';
import { encryptionAlgorithmsFor, macAlgorithmsFor, signingAlgorithmsFor } from '../model/key-specs.js';
import type { KeyMetadata, MultiRegionConfiguration } from '../model/shapes.js';
import { keyArn } from './arns.js';
import { seconds, type KmsContext } from './context.js';
import { currentMaterial, keyState, type KeyRecord } from './records.js';

function multiRegionConfiguration(key: KeyRecord, ctx: KmsContext): MultiRegionConfiguration {
  const primaryRegion = key.primaryRegion ?? key.region;
  const copies = ctx.kms.multiRegionCopies(key, ctx.now);
  return {
    MultiRegionKeyType: primaryRegion === key.region ? 'PRIMARY' : 'REPLICA',
    PrimaryKey: { Arn: keyArn(primaryRegion, key.account, key.keyId), Region: primaryRegion },
    ReplicaKeys: copies.filter((k) => k.region !== primaryRegion).map((k) => ({ Arn: k.arn, Region: k.region })),
  };
}

/** `stateOverride`: ReplicateKey shows the new replica as `Creating`. */
export function keyMetadata(key: KeyRecord, ctx: KmsContext, stateOverride?: KeyState): KeyMetadata {
  const state = stateOverride ?? keyState(key);
  const md: KeyMetadata = {
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: seconds(key.createdAt),
    Enabled: state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: state,
    Origin: key.origin,
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    MultiRegion: key.multiRegion,
  };
  if (key.deletionDate !== undefined) {
    md.DeletionDate = seconds(key.deletionDate);
    md.PendingDeletionWindowInDays = key.pendingWindowInDays;
  }
  const imported = key.materials.filter((m) => m.material !== undefined && m.expirationModel !== undefined);
  if (key.origin === 'EXTERNAL' && imported.length > 0) {
    const expiring = imported.filter((m) => m.expirationModel === 'KEY_MATERIAL_EXPIRES' && m.validTo !== undefined);
    md.ExpirationModel = expiring.length > 0 ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE';
    if (expiring.length > 0) md.ValidTo = seconds(Math.min(...expiring.map((m) => m.validTo as number)));
  }
  if (key.keyUsage === 'ENCRYPT_DECRYPT') md.EncryptionAlgorithms = [...encryptionAlgorithmsFor(key.keySpec)];
  if (key.keyUsage === 'SIGN_VERIFY') md.SigningAlgorithms = [...signingAlgorithmsFor(key.keySpec)];
  if (key.keyUsage === 'GENERATE_VERIFY_MAC') md.MacAlgorithms = [...macAlgorithmsFor(key.keySpec)];
  if (key.keyUsage === 'KEY_AGREEMENT') md.KeyAgreementAlgorithms = ['ECDH'];
  if (key.multiRegion) md.MultiRegionConfiguration = multiRegionConfiguration(key, ctx);
  const current = key.keySpec === 'SYMMETRIC_DEFAULT' ? currentMaterial(key) : undefined;
  if (current) md.CurrentKeyMaterialId = current.id;
  return md;
}
