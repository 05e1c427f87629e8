/**
 * What each KMS key spec is: its family, the key usages it allows, its algorithms, and what imported material must
 * look like. Sources: KMS Developer Guide "Key spec reference" (symm-asymm-choose-key-spec) and KMS-SPEC.md 1.1-3.
 */
import type {
  EncryptionAlgorithmSpec, KeySpec, KeyUsageType, MacAlgorithmSpec, SigningAlgorithmSpec,
} from './enums.js';

export type KeyFamily = 'symmetric' | 'hmac' | 'rsa' | 'ecc' | 'unsupported';

export interface KeySpecInfo {
  readonly family: KeyFamily;
  /** Usages CreateKey accepts for this spec; the first is the default (only SYMMETRIC_DEFAULT has one). */
  readonly usages: readonly KeyUsageType[];
  /** RSA modulus size in bits. */
  readonly rsaBits?: number;
  /** EC curve as OpenSSL names it. */
  readonly curve?: 'prime256v1' | 'secp384r1' | 'secp521r1' | 'secp256k1';
  /** HMAC: digest name and the accepted imported key length range in bytes (KMS-SPEC 1.2). */
  readonly hmac?: { readonly hash: string; readonly bytes: number; readonly min: number; readonly max: number };
}

const rsaUsages = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'] as const;
const eccUsages = ['SIGN_VERIFY', 'KEY_AGREEMENT'] as const;

export const keySpecs: Readonly<Record<KeySpec, KeySpecInfo>> = {
  SYMMETRIC_DEFAULT: { family: 'symmetric', usages: ['ENCRYPT_DECRYPT'] },
  HMAC_224: { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], hmac: { hash: 'sha224', bytes: 28, min: 28, max: 64 } },
  HMAC_256: { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], hmac: { hash: 'sha256', bytes: 32, min: 32, max: 64 } },
  HMAC_384: { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], hmac: { hash: 'sha384', bytes: 48, min: 48, max: 128 } },
  HMAC_512: { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], hmac: { hash: 'sha512', bytes: 64, min: 64, max: 128 } },
  RSA_2048: { family: 'rsa', usages: rsaUsages, rsaBits: 2048 },
  RSA_3072: { family: 'rsa', usages: rsaUsages, rsaBits: 3072 },
  RSA_4096: { family: 'rsa', usages: rsaUsages, rsaBits: 4096 },
  ECC_NIST_P256: { family: 'ecc', usages: eccUsages, curve: 'prime256v1' },
  ECC_NIST_P384: { family: 'ecc', usages: eccUsages, curve: 'secp384r1' },
  ECC_NIST_P521: { family: 'ecc', usages: eccUsages, curve: 'secp521r1' },
  ECC_SECG_P256K1: { family: 'ecc', usages: ['SIGN_VERIFY'], curve: 'secp256k1' },
  // China Regions only / not implemented here.
  SM2: { family: 'unsupported', usages: [] },
  ML_DSA_44: { family: 'unsupported', usages: [] },
  ML_DSA_65: { family: 'unsupported', usages: [] },
  ML_DSA_87: { family: 'unsupported', usages: [] },
  ECC_NIST_EDWARDS25519: { family: 'unsupported', usages: [] },
};

export const rsaSigningAlgorithms: readonly SigningAlgorithmSpec[] = [
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
];

/** SigningAlgorithms as DescribeKey/GetPublicKey list them for a SIGN_VERIFY key of this spec. */
export function signingAlgorithmsFor(spec: KeySpec): readonly SigningAlgorithmSpec[] {
  switch (spec) {
    case 'ECC_NIST_P256': case 'ECC_SECG_P256K1': return ['ECDSA_SHA_256'];
    case 'ECC_NIST_P384': return ['ECDSA_SHA_384'];
    case 'ECC_NIST_P521': return ['ECDSA_SHA_512'];
    case 'RSA_2048': case 'RSA_3072': case 'RSA_4096': return rsaSigningAlgorithms;
    default: return [];
  }
}

/** EncryptionAlgorithms for an ENCRYPT_DECRYPT key of this spec. */
export function encryptionAlgorithmsFor(spec: KeySpec): readonly EncryptionAlgorithmSpec[] {
  if (spec === 'SYMMETRIC_DEFAULT') return ['SYMMETRIC_DEFAULT'];
  if (keySpecs[spec].family === 'rsa') return ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
  return [];
}

export function macAlgorithmsFor(spec: KeySpec): readonly MacAlgorithmSpec[] {
  switch (spec) {
    case 'HMAC_224': return ['HMAC_SHA_224'];
    case 'HMAC_256': return ['HMAC_SHA_256'];
    case 'HMAC_384': return ['HMAC_SHA_384'];
    case 'HMAC_512': return ['HMAC_SHA_512'];
    default: return [];
  }
}

/** What a signing algorithm is made of: scheme, hash (node name) and digest length in bytes. */
export interface SigningAlgorithmInfo {
  readonly scheme: 'ecdsa' | 'pkcs1' | 'pss';
  readonly hash: 'sha256' | 'sha384' | 'sha512';
  readonly digestLength: number;
}

export const signingAlgorithms: Readonly<Partial<Record<SigningAlgorithmSpec, SigningAlgorithmInfo>>> = {
  ECDSA_SHA_256: { scheme: 'ecdsa', hash: 'sha256', digestLength: 32 },
  ECDSA_SHA_384: { scheme: 'ecdsa', hash: 'sha384', digestLength: 48 },
  ECDSA_SHA_512: { scheme: 'ecdsa', hash: 'sha512', digestLength: 64 },
  RSASSA_PKCS1_V1_5_SHA_256: { scheme: 'pkcs1', hash: 'sha256', digestLength: 32 },
  RSASSA_PKCS1_V1_5_SHA_384: { scheme: 'pkcs1', hash: 'sha384', digestLength: 48 },
  RSASSA_PKCS1_V1_5_SHA_512: { scheme: 'pkcs1', hash: 'sha512', digestLength: 64 },
  RSASSA_PSS_SHA_256: { scheme: 'pss', hash: 'sha256', digestLength: 32 },
  RSASSA_PSS_SHA_384: { scheme: 'pss', hash: 'sha384', digestLength: 48 },
  RSASSA_PSS_SHA_512: { scheme: 'pss', hash: 'sha512', digestLength: 64 },
};

export const macAlgorithms: Readonly<Record<MacAlgorithmSpec, string>> = {
  HMAC_SHA_224: 'sha224', HMAC_SHA_256: 'sha256', HMAC_SHA_384: 'sha384', HMAC_SHA_512: 'sha512',
};

/** RSA modulus bits of a wrapping key spec (SM2 is China Regions only). */
export const wrappingKeyBits: Readonly<Record<string, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
