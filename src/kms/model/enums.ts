/**
 * AWS KMS enumerations, named and ordered exactly as in the KMS API model (botocore
 * `kms/2014-11-01/service-2.json`). Each is a `const` array plus a derived union type.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Types.html
 */

export const KeySpec = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87',
  'ECC_NIST_EDWARDS25519',
] as const;
export type KeySpec = (typeof KeySpec)[number];

/** The legacy `CustomerMasterKeySpec` enumeration (KeySpec without the post-2024 additions). */
export const CustomerMasterKeySpec = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2',
] as const;
export type CustomerMasterKeySpec = (typeof CustomerMasterKeySpec)[number];

export const KeyUsageType = ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const;
export type KeyUsageType = (typeof KeyUsageType)[number];

export const OriginType = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;
export type OriginType = (typeof OriginType)[number];

export const KeyState = [
  'Creating', 'Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'PendingReplicaDeletion', 'Unavailable',
  'Updating',
] as const;
export type KeyState = (typeof KeyState)[number];

export const ExpirationModelType = ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'] as const;
export type ExpirationModelType = (typeof ExpirationModelType)[number];

/** `WrappingAlgorithm` of GetParametersForImport (model shape `AlgorithmSpec`). */
export const AlgorithmSpec = [
  'RSAES_PKCS1_V1_5', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256',
  'SM2PKE',
] as const;
export type AlgorithmSpec = (typeof AlgorithmSpec)[number];

export const WrappingKeySpec = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'SM2'] as const;
export type WrappingKeySpec = (typeof WrappingKeySpec)[number];

export const SigningAlgorithmSpec = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512', 'SM2DSA',
  'ML_DSA_SHAKE_256', 'ED25519_SHA_512', 'ED25519_PH_SHA_512',
] as const;
export type SigningAlgorithmSpec = (typeof SigningAlgorithmSpec)[number];

export const MessageType = ['RAW', 'DIGEST', 'EXTERNAL_MU'] as const;
export type MessageType = (typeof MessageType)[number];

export const EncryptionAlgorithmSpec = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'] as const;
export type EncryptionAlgorithmSpec = (typeof EncryptionAlgorithmSpec)[number];

export const MacAlgorithmSpec = ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'] as const;
export type MacAlgorithmSpec = (typeof MacAlgorithmSpec)[number];

export const KeyAgreementAlgorithmSpec = ['ECDH'] as const;
export type KeyAgreementAlgorithmSpec = (typeof KeyAgreementAlgorithmSpec)[number];

export const ImportType = ['NEW_KEY_MATERIAL', 'EXISTING_KEY_MATERIAL'] as const;
export type ImportType = (typeof ImportType)[number];

export const ImportState = ['IMPORTED', 'PENDING_IMPORT'] as const;
export type ImportState = (typeof ImportState)[number];

export const KeyMaterialState = [
  'NON_CURRENT', 'CURRENT', 'PENDING_ROTATION', 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION',
] as const;
export type KeyMaterialState = (typeof KeyMaterialState)[number];

export const IncludeKeyMaterial = ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY'] as const;
export type IncludeKeyMaterial = (typeof IncludeKeyMaterial)[number];

export const DataKeySpec = ['AES_256', 'AES_128'] as const;
export type DataKeySpec = (typeof DataKeySpec)[number];

export const MultiRegionKeyType = ['PRIMARY', 'REPLICA'] as const;
export type MultiRegionKeyType = (typeof MultiRegionKeyType)[number];

export const KeyManagerType = ['AWS', 'CUSTOMER'] as const;
export type KeyManagerType = (typeof KeyManagerType)[number];

export const RotationType = ['AUTOMATIC', 'ON_DEMAND'] as const;
export type RotationType = (typeof RotationType)[number];
