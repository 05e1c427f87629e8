/**
 * KMS names used by the port, spelled exactly as the AWS KMS API model has them (shape names and enum values of
 * `kms-2014-11-01`, https://docs.aws.amazon.com/kms/latest/APIReference/API_Types.html). They are defined here, not
 * imported from @aws-sdk/client-kms, so the port stays free of SDK types; `aws-kms.ts` checks at compile time that
 * every union below is identical to the SDK's, so a spelling drift breaks the build.
 * Enums are `const` objects plus a derived union type, as in aws-sdk-js-v3.
 */

export const KeySpec = {
  ECC_NIST_EDWARDS25519: 'ECC_NIST_EDWARDS25519',
  ECC_NIST_P256: 'ECC_NIST_P256',
  ECC_NIST_P384: 'ECC_NIST_P384',
  ECC_NIST_P521: 'ECC_NIST_P521',
  ECC_SECG_P256K1: 'ECC_SECG_P256K1',
  HMAC_224: 'HMAC_224',
  HMAC_256: 'HMAC_256',
  HMAC_384: 'HMAC_384',
  HMAC_512: 'HMAC_512',
  ML_DSA_44: 'ML_DSA_44',
  ML_DSA_65: 'ML_DSA_65',
  ML_DSA_87: 'ML_DSA_87',
  ML_KEM_1024: 'ML_KEM_1024',
  ML_KEM_512: 'ML_KEM_512',
  ML_KEM_768: 'ML_KEM_768',
  RSA_2048: 'RSA_2048',
  RSA_3072: 'RSA_3072',
  RSA_4096: 'RSA_4096',
  SM2: 'SM2',
  SYMMETRIC_DEFAULT: 'SYMMETRIC_DEFAULT',
} as const;
export type KeySpec = (typeof KeySpec)[keyof typeof KeySpec];

export const KeyUsageType = {
  ENCAPSULATE_DECAPSULATE: 'ENCAPSULATE_DECAPSULATE',
  ENCRYPT_DECRYPT: 'ENCRYPT_DECRYPT',
  GENERATE_VERIFY_MAC: 'GENERATE_VERIFY_MAC',
  KEY_AGREEMENT: 'KEY_AGREEMENT',
  SIGN_VERIFY: 'SIGN_VERIFY',
} as const;
export type KeyUsageType = (typeof KeyUsageType)[keyof typeof KeyUsageType];

export const OriginType = {
  AWS_CLOUDHSM: 'AWS_CLOUDHSM',
  AWS_KMS: 'AWS_KMS',
  EXTERNAL: 'EXTERNAL',
  EXTERNAL_KEY_STORE: 'EXTERNAL_KEY_STORE',
} as const;
export type OriginType = (typeof OriginType)[keyof typeof OriginType];

export const KeyState = {
  Creating: 'Creating',
  Disabled: 'Disabled',
  Enabled: 'Enabled',
  PendingDeletion: 'PendingDeletion',
  PendingImport: 'PendingImport',
  PendingReplicaDeletion: 'PendingReplicaDeletion',
  Unavailable: 'Unavailable',
  Updating: 'Updating',
} as const;
export type KeyState = (typeof KeyState)[keyof typeof KeyState];

export const ExpirationModelType = {
  KEY_MATERIAL_DOES_NOT_EXPIRE: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
  KEY_MATERIAL_EXPIRES: 'KEY_MATERIAL_EXPIRES',
} as const;
export type ExpirationModelType = (typeof ExpirationModelType)[keyof typeof ExpirationModelType];

/** The wrapping algorithm of GetParametersForImport (the API model calls the shape `AlgorithmSpec`). */
export const AlgorithmSpec = {
  RSAES_OAEP_SHA_1: 'RSAES_OAEP_SHA_1',
  RSAES_OAEP_SHA_256: 'RSAES_OAEP_SHA_256',
  RSAES_PKCS1_V1_5: 'RSAES_PKCS1_V1_5',
  RSA_AES_KEY_WRAP_SHA_1: 'RSA_AES_KEY_WRAP_SHA_1',
  RSA_AES_KEY_WRAP_SHA_256: 'RSA_AES_KEY_WRAP_SHA_256',
  SM2PKE: 'SM2PKE',
} as const;
export type AlgorithmSpec = (typeof AlgorithmSpec)[keyof typeof AlgorithmSpec];

export const WrappingKeySpec = {
  RSA_2048: 'RSA_2048',
  RSA_3072: 'RSA_3072',
  RSA_4096: 'RSA_4096',
  SM2: 'SM2',
} as const;
export type WrappingKeySpec = (typeof WrappingKeySpec)[keyof typeof WrappingKeySpec];

export const SigningAlgorithmSpec = {
  ECDSA_SHA_256: 'ECDSA_SHA_256',
  ECDSA_SHA_384: 'ECDSA_SHA_384',
  ECDSA_SHA_512: 'ECDSA_SHA_512',
  ED25519_PH_SHA_512: 'ED25519_PH_SHA_512',
  ED25519_SHA_512: 'ED25519_SHA_512',
  ML_DSA_SHAKE_256: 'ML_DSA_SHAKE_256',
  RSASSA_PKCS1_V1_5_SHA_256: 'RSASSA_PKCS1_V1_5_SHA_256',
  RSASSA_PKCS1_V1_5_SHA_384: 'RSASSA_PKCS1_V1_5_SHA_384',
  RSASSA_PKCS1_V1_5_SHA_512: 'RSASSA_PKCS1_V1_5_SHA_512',
  RSASSA_PSS_SHA_256: 'RSASSA_PSS_SHA_256',
  RSASSA_PSS_SHA_384: 'RSASSA_PSS_SHA_384',
  RSASSA_PSS_SHA_512: 'RSASSA_PSS_SHA_512',
  SM2DSA: 'SM2DSA',
} as const;
export type SigningAlgorithmSpec = (typeof SigningAlgorithmSpec)[keyof typeof SigningAlgorithmSpec];

export const MessageType = {
  DIGEST: 'DIGEST',
  EXTERNAL_MU: 'EXTERNAL_MU',
  RAW: 'RAW',
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const EncryptionAlgorithmSpec = {
  RSAES_OAEP_SHA_1: 'RSAES_OAEP_SHA_1',
  RSAES_OAEP_SHA_256: 'RSAES_OAEP_SHA_256',
  SM2PKE: 'SM2PKE',
  SYMMETRIC_DEFAULT: 'SYMMETRIC_DEFAULT',
} as const;
export type EncryptionAlgorithmSpec = (typeof EncryptionAlgorithmSpec)[keyof typeof EncryptionAlgorithmSpec];

export const MacAlgorithmSpec = {
  HMAC_SHA_224: 'HMAC_SHA_224',
  HMAC_SHA_256: 'HMAC_SHA_256',
  HMAC_SHA_384: 'HMAC_SHA_384',
  HMAC_SHA_512: 'HMAC_SHA_512',
} as const;
export type MacAlgorithmSpec = (typeof MacAlgorithmSpec)[keyof typeof MacAlgorithmSpec];

export const MultiRegionKeyType = {
  PRIMARY: 'PRIMARY',
  REPLICA: 'REPLICA',
} as const;
export type MultiRegionKeyType = (typeof MultiRegionKeyType)[keyof typeof MultiRegionKeyType];

export const KeyManagerType = {
  AWS: 'AWS',
  CUSTOMER: 'CUSTOMER',
} as const;
export type KeyManagerType = (typeof KeyManagerType)[keyof typeof KeyManagerType];

/** True when `value` is one of the values of the const enum object `e` (for validating text from files and flags). */
export function isEnumValue<E extends Record<string, string>>(e: E, value: unknown): value is E[keyof E] {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(e, value) && e[value] === value;
}
