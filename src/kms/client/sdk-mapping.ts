/**
 * Mapping between the SDK's shapes (API model member names) and the port's domain types, and the compile-time check
 * that names.ts spells every enum as the SDK does. Used only by aws-kms.ts.
 */
import type { AliasListEntry, KeyMetadata, Tag } from '@aws-sdk/client-kms';
import type * as Sdk from '@aws-sdk/client-kms';
import { KmsResponseError, KmsUsageError } from './errors.js';
import type {
  AlgorithmSpec,
  EncryptionAlgorithmSpec,
  ExpirationModelType,
  KeyManagerType,
  KeySpec,
  KeyState,
  KeyUsageType,
  MacAlgorithmSpec,
  MessageType,
  MultiRegionKeyType,
  OriginType,
  SigningAlgorithmSpec,
  WrappingKeySpec,
} from './names.js';
import type { KmsAlias, KmsKey, KmsTag } from './port.js';

// Compile-time proof that names.ts spells every enum exactly as the SDK (hence the API model) does.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const namesMatchTheSdk: [
  Same<KeySpec, Sdk.KeySpec>,
  Same<KeyUsageType, Sdk.KeyUsageType>,
  Same<OriginType, Sdk.OriginType>,
  Same<KeyState, Sdk.KeyState>,
  Same<ExpirationModelType, Sdk.ExpirationModelType>,
  Same<AlgorithmSpec, Sdk.AlgorithmSpec>,
  Same<WrappingKeySpec, Sdk.WrappingKeySpec>,
  Same<SigningAlgorithmSpec, Sdk.SigningAlgorithmSpec>,
  Same<MessageType, Sdk.MessageType>,
  Same<EncryptionAlgorithmSpec, Sdk.EncryptionAlgorithmSpec>,
  Same<MacAlgorithmSpec, Sdk.MacAlgorithmSpec>,
  Same<MultiRegionKeyType, Sdk.MultiRegionKeyType>,
  Same<KeyManagerType, Sdk.KeyManagerType>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true];
void namesMatchTheSdk;

export function toKmsKey(m: KeyMetadata | undefined, operation: string): KmsKey {
  const keySpec = m?.KeySpec ?? m?.CustomerMasterKeySpec;
  if (!m || !m.KeyId || !m.Arn || !keySpec || !m.KeyUsage || !m.KeyState || !m.Origin) {
    throw badResponse(operation, 'KeyMetadata lacks KeyId, Arn, KeySpec, KeyUsage, KeyState or Origin');
  }
  const mrc = m.MultiRegionConfiguration;
  return {
    keyId: m.KeyId,
    arn: m.Arn,
    accountId: m.AWSAccountId ?? m.Arn.split(':')[4] ?? '',
    keySpec,
    keyUsage: m.KeyUsage,
    origin: m.Origin,
    keyState: m.KeyState,
    enabled: m.Enabled === true,
    description: m.Description ?? '',
    creationDate: m.CreationDate ?? new Date(0),
    keyManager: m.KeyManager,
    expirationModel: m.ExpirationModel,
    validTo: m.ValidTo,
    deletionDate: m.DeletionDate,
    pendingDeletionWindowInDays: m.PendingDeletionWindowInDays,
    signingAlgorithms: m.SigningAlgorithms ?? [],
    encryptionAlgorithms: m.EncryptionAlgorithms ?? [],
    macAlgorithms: m.MacAlgorithms ?? [],
    multiRegion: m.MultiRegion === true,
    multiRegionConfiguration:
      mrc && mrc.MultiRegionKeyType
        ? {
            multiRegionKeyType: mrc.MultiRegionKeyType,
            primaryKey: mrc.PrimaryKey?.Arn && mrc.PrimaryKey.Region ? { arn: mrc.PrimaryKey.Arn, region: mrc.PrimaryKey.Region } : undefined,
            replicaKeys: (mrc.ReplicaKeys ?? []).filter((r) => r.Arn && r.Region).map((r) => ({ arn: r.Arn as string, region: r.Region as string })),
          }
        : undefined,
    currentKeyMaterialId: m.CurrentKeyMaterialId,
  };
}

export function toAlias(a: AliasListEntry): KmsAlias | undefined {
  if (!a.AliasName || !a.AliasArn) return undefined;
  return { aliasName: a.AliasName, aliasArn: a.AliasArn, targetKeyId: a.TargetKeyId, creationDate: a.CreationDate, lastUpdatedDate: a.LastUpdatedDate };
}

export function toSdkTags(tags: KmsTag[] | undefined): Tag[] | undefined {
  if (tags === undefined) return undefined;
  if (!Array.isArray(tags) || tags.some((t) => typeof t?.key !== 'string' || typeof t?.value !== 'string')) {
    throw new KmsUsageError('KMS_BAD_ARGUMENT', 'tags must be a list of {key, value} strings.');
  }
  return tags.map((t) => ({ TagKey: t.key, TagValue: t.value }));
}

export function badResponse(operation: string, what: string): KmsResponseError {
  return new KmsResponseError('KMS_BAD_RESPONSE', `${operation}: the KMS answer is incomplete (${what}); check that --kms points at AWS KMS or a complete KMS-compatible server.`);
}
