/**
 * The request members of every KMS operation this project serves, with the constraints of the KMS API model
 * (botocore `kms/2014-11-01/service-2.json`): member names, required flags, enum sets, length/range bounds and
 * patterns. The server validates requests against these tables and answers with AWS's ValidationException text.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html
 */
import {
  AlgorithmSpec, CustomerMasterKeySpec, DataKeySpec, EncryptionAlgorithmSpec, ExpirationModelType, ImportType,
  IncludeKeyMaterial, KeySpec, KeyUsageType, MacAlgorithmSpec, MessageType, OriginType, SigningAlgorithmSpec,
  WrappingKeySpec,
} from './enums.js';

export type MemberType =
  | { readonly kind: 'string'; readonly min?: number; readonly max?: number; readonly pattern?: string }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'blob'; readonly min?: number; readonly max?: number; readonly sensitive?: boolean }
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'list'; readonly member: MemberType; readonly min?: number; readonly max?: number }
  | { readonly kind: 'map'; readonly key: MemberType; readonly value: MemberType }
  | { readonly kind: 'structure'; readonly members: readonly Member[] };

export interface Member {
  readonly name: string;
  readonly type: MemberType;
  readonly required?: boolean;
}

const KeyEncryptionMechanism = ['RSAES_OAEP_SHA_256'] as const;
const DryRunModifierType = ['IGNORE_CIPHERTEXT'] as const;

const keyId: MemberType = { kind: 'string', min: 1, max: 2048 };
const grantTokens: MemberType = { kind: 'list', member: { kind: 'string', min: 1, max: 8192 }, min: 0, max: 10 };
const tagList: MemberType = {
  kind: 'list',
  member: {
    kind: 'structure',
    members: [
      { name: 'TagKey', type: { kind: 'string', min: 1, max: 128 }, required: true },
      { name: 'TagValue', type: { kind: 'string', min: 0, max: 256 }, required: true },
    ],
  },
};
const limit: MemberType = { kind: 'integer', min: 1, max: 1000 };
const marker: MemberType = { kind: 'string', min: 1, max: 1024, pattern: '[\\u0020-\\u00FF]*' };
const policy: MemberType = { kind: 'string', min: 1, max: 131072, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' };
const policyName: MemberType = { kind: 'string', min: 1, max: 128, pattern: '[\\w]+' };
const description: MemberType = { kind: 'string', min: 0, max: 8192 };
const aliasName: MemberType = { kind: 'string', min: 1, max: 256, pattern: '^[a-zA-Z0-9:/_-]+$' };
const keyMaterialId: MemberType = { kind: 'string', min: 64, max: 64, pattern: '^[a-f0-9]+$' };
const encryptionContext: MemberType = { kind: 'map', key: { kind: 'string' }, value: { kind: 'string' } };
const recipient: MemberType = {
  kind: 'structure',
  members: [
    { name: 'KeyEncryptionAlgorithm', type: { kind: 'enum', values: KeyEncryptionMechanism } },
    { name: 'AttestationDocument', type: { kind: 'blob', min: 1, max: 262144 } },
  ],
};
const boolean: MemberType = { kind: 'boolean' };

export const operationInputs = {
  CreateKey: [
    { name: 'Policy', type: policy },
    { name: 'Description', type: description },
    { name: 'KeyUsage', type: { kind: 'enum', values: KeyUsageType } },
    { name: 'CustomerMasterKeySpec', type: { kind: 'enum', values: CustomerMasterKeySpec } },
    { name: 'KeySpec', type: { kind: 'enum', values: KeySpec } },
    { name: 'Origin', type: { kind: 'enum', values: OriginType } },
    { name: 'CustomKeyStoreId', type: { kind: 'string', min: 1, max: 64 } },
    { name: 'BypassPolicyLockoutSafetyCheck', type: boolean },
    { name: 'Tags', type: tagList },
    { name: 'MultiRegion', type: boolean },
    { name: 'XksKeyId', type: { kind: 'string', min: 1, max: 128, pattern: '^[a-zA-Z0-9-_.]+$' } },
  ],
  DescribeKey: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'GrantTokens', type: grantTokens },
  ],
  ListKeys: [
    { name: 'Limit', type: limit },
    { name: 'Marker', type: marker },
  ],
  EnableKey: [
    { name: 'KeyId', type: keyId, required: true },
  ],
  DisableKey: [
    { name: 'KeyId', type: keyId, required: true },
  ],
  ScheduleKeyDeletion: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'PendingWindowInDays', type: { kind: 'integer', min: 1, max: 365 } },
  ],
  CancelKeyDeletion: [
    { name: 'KeyId', type: keyId, required: true },
  ],
  UpdateKeyDescription: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'Description', type: description, required: true },
  ],
  CreateAlias: [
    { name: 'AliasName', type: aliasName, required: true },
    { name: 'TargetKeyId', type: keyId, required: true },
  ],
  UpdateAlias: [
    { name: 'AliasName', type: aliasName, required: true },
    { name: 'TargetKeyId', type: keyId, required: true },
  ],
  DeleteAlias: [
    { name: 'AliasName', type: aliasName, required: true },
  ],
  ListAliases: [
    { name: 'KeyId', type: keyId },
    { name: 'Limit', type: limit },
    { name: 'Marker', type: marker },
  ],
  GetKeyPolicy: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'PolicyName', type: policyName },
  ],
  PutKeyPolicy: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'PolicyName', type: policyName },
    { name: 'Policy', type: policy, required: true },
    { name: 'BypassPolicyLockoutSafetyCheck', type: boolean },
  ],
  ListKeyPolicies: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'Limit', type: limit },
    { name: 'Marker', type: marker },
  ],
  TagResource: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'Tags', type: tagList, required: true },
  ],
  UntagResource: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'TagKeys', type: { kind: 'list', member: { kind: 'string', min: 1, max: 128 } }, required: true },
  ],
  ListResourceTags: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'Limit', type: limit },
    { name: 'Marker', type: marker },
  ],
  GetParametersForImport: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'WrappingAlgorithm', type: { kind: 'enum', values: AlgorithmSpec }, required: true },
    { name: 'WrappingKeySpec', type: { kind: 'enum', values: WrappingKeySpec }, required: true },
  ],
  ImportKeyMaterial: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'ImportToken', type: { kind: 'blob', min: 1, max: 6144 }, required: true },
    { name: 'EncryptedKeyMaterial', type: { kind: 'blob', min: 1, max: 6144 }, required: true },
    { name: 'ValidTo', type: { kind: 'timestamp' } },
    { name: 'ExpirationModel', type: { kind: 'enum', values: ExpirationModelType } },
    { name: 'ImportType', type: { kind: 'enum', values: ImportType } },
    { name: 'KeyMaterialDescription', type: { kind: 'string', min: 0, max: 256, pattern: '^[a-zA-Z0-9:/_\\s.-]+$' } },
    { name: 'KeyMaterialId', type: keyMaterialId },
  ],
  DeleteImportedKeyMaterial: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'KeyMaterialId', type: keyMaterialId },
  ],
  RotateKeyOnDemand: [
    { name: 'KeyId', type: keyId, required: true },
  ],
  EnableKeyRotation: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'RotationPeriodInDays', type: { kind: 'integer', min: 90, max: 2560 } },
  ],
  ListKeyRotations: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'IncludeKeyMaterial', type: { kind: 'enum', values: IncludeKeyMaterial } },
    { name: 'Limit', type: limit },
    { name: 'Marker', type: marker },
  ],
  ReplicateKey: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'ReplicaRegion', type: { kind: 'string', min: 1, max: 32, pattern: '^([a-z]+-){2,3}\\d+$' }, required: true },
    { name: 'Policy', type: policy },
    { name: 'BypassPolicyLockoutSafetyCheck', type: boolean },
    { name: 'Description', type: description },
    { name: 'Tags', type: tagList },
  ],
  GetPublicKey: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'GrantTokens', type: grantTokens },
  ],
  Sign: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'Message', type: { kind: 'blob', min: 1, max: 4096, sensitive: true }, required: true },
    { name: 'MessageType', type: { kind: 'enum', values: MessageType } },
    { name: 'GrantTokens', type: grantTokens },
    { name: 'SigningAlgorithm', type: { kind: 'enum', values: SigningAlgorithmSpec }, required: true },
    { name: 'DryRun', type: boolean },
  ],
  Verify: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'Message', type: { kind: 'blob', min: 1, max: 4096, sensitive: true }, required: true },
    { name: 'MessageType', type: { kind: 'enum', values: MessageType } },
    { name: 'Signature', type: { kind: 'blob', min: 1, max: 6144 }, required: true },
    { name: 'SigningAlgorithm', type: { kind: 'enum', values: SigningAlgorithmSpec }, required: true },
    { name: 'GrantTokens', type: grantTokens },
    { name: 'DryRun', type: boolean },
  ],
  Encrypt: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'Plaintext', type: { kind: 'blob', min: 1, max: 4096, sensitive: true }, required: true },
    { name: 'EncryptionContext', type: encryptionContext },
    { name: 'GrantTokens', type: grantTokens },
    { name: 'EncryptionAlgorithm', type: { kind: 'enum', values: EncryptionAlgorithmSpec } },
    { name: 'DryRun', type: boolean },
  ],
  Decrypt: [
    { name: 'CiphertextBlob', type: { kind: 'blob', min: 1, max: 6144 } },
    { name: 'EncryptionContext', type: encryptionContext },
    { name: 'GrantTokens', type: grantTokens },
    { name: 'KeyId', type: keyId },
    { name: 'EncryptionAlgorithm', type: { kind: 'enum', values: EncryptionAlgorithmSpec } },
    { name: 'Recipient', type: recipient },
    { name: 'DryRun', type: boolean },
    { name: 'DryRunModifiers', type: { kind: 'list', member: { kind: 'enum', values: DryRunModifierType } } },
  ],
  GenerateDataKey: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'EncryptionContext', type: encryptionContext },
    { name: 'NumberOfBytes', type: { kind: 'integer', min: 1, max: 1024 } },
    { name: 'KeySpec', type: { kind: 'enum', values: DataKeySpec } },
    { name: 'GrantTokens', type: grantTokens },
    { name: 'Recipient', type: recipient },
    { name: 'DryRun', type: boolean },
  ],
  GenerateDataKeyWithoutPlaintext: [
    { name: 'KeyId', type: keyId, required: true },
    { name: 'EncryptionContext', type: encryptionContext },
    { name: 'KeySpec', type: { kind: 'enum', values: DataKeySpec } },
    { name: 'NumberOfBytes', type: { kind: 'integer', min: 1, max: 1024 } },
    { name: 'GrantTokens', type: grantTokens },
    { name: 'DryRun', type: boolean },
  ],
  GenerateRandom: [
    { name: 'NumberOfBytes', type: { kind: 'integer', min: 1, max: 1024 } },
    { name: 'CustomKeyStoreId', type: { kind: 'string', min: 1, max: 64 } },
    { name: 'Recipient', type: recipient },
  ],
  GenerateMac: [
    { name: 'Message', type: { kind: 'blob', min: 1, max: 4096, sensitive: true }, required: true },
    { name: 'KeyId', type: keyId, required: true },
    { name: 'MacAlgorithm', type: { kind: 'enum', values: MacAlgorithmSpec }, required: true },
    { name: 'GrantTokens', type: grantTokens },
    { name: 'DryRun', type: boolean },
  ],
  VerifyMac: [
    { name: 'Message', type: { kind: 'blob', min: 1, max: 4096, sensitive: true }, required: true },
    { name: 'KeyId', type: keyId, required: true },
    { name: 'MacAlgorithm', type: { kind: 'enum', values: MacAlgorithmSpec }, required: true },
    { name: 'Mac', type: { kind: 'blob', min: 1, max: 6144 }, required: true },
    { name: 'GrantTokens', type: grantTokens },
    { name: 'DryRun', type: boolean },
  ],
} as const satisfies Record<string, readonly Member[]>;

export type OperationName = keyof typeof operationInputs;

export const operationNames = Object.keys(operationInputs) as OperationName[];
