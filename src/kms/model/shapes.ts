/**
 * KMS response shapes as the JSON 1.1 wire carries them (member names as in the API model; timestamps as epoch
 * seconds, blobs as base64 strings). https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html
 */
import type {
  CustomerMasterKeySpec, EncryptionAlgorithmSpec, ExpirationModelType, KeyAgreementAlgorithmSpec, KeyManagerType,
  KeySpec, KeyState, KeyUsageType, MacAlgorithmSpec, MultiRegionKeyType, OriginType, SigningAlgorithmSpec,
} from './enums.js';

export interface Tag {
  TagKey: string;
  TagValue: string;
}

export interface MultiRegionKey {
  Arn: string;
  Region: string;
}

export interface MultiRegionConfiguration {
  MultiRegionKeyType: MultiRegionKeyType;
  PrimaryKey: MultiRegionKey;
  ReplicaKeys: MultiRegionKey[];
}

export interface KeyMetadata {
  AWSAccountId: string;
  KeyId: string;
  Arn: string;
  CreationDate: number;
  Enabled: boolean;
  Description: string;
  KeyUsage: KeyUsageType;
  KeyState: KeyState;
  DeletionDate?: number;
  ValidTo?: number;
  Origin: OriginType;
  ExpirationModel?: ExpirationModelType;
  KeyManager: KeyManagerType;
  CustomerMasterKeySpec: CustomerMasterKeySpec | KeySpec;
  KeySpec: KeySpec;
  EncryptionAlgorithms?: EncryptionAlgorithmSpec[];
  SigningAlgorithms?: SigningAlgorithmSpec[];
  KeyAgreementAlgorithms?: KeyAgreementAlgorithmSpec[];
  MacAlgorithms?: MacAlgorithmSpec[];
  MultiRegion: boolean;
  MultiRegionConfiguration?: MultiRegionConfiguration;
  PendingDeletionWindowInDays?: number;
  CurrentKeyMaterialId?: string;
}

export interface AliasListEntry {
  AliasName: string;
  AliasArn: string;
  TargetKeyId?: string;
  CreationDate?: number;
  LastUpdatedDate?: number;
}

/** The AWS JSON 1.1 error body: `__type` is the plain exception name; `message` is omitted for some exceptions. */
export interface ErrorBody {
  __type: string;
  message?: string;
}
