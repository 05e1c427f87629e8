/**
 * Which HSM key becomes which KMS key: algorithm <-> KeySpec, the KMS KeyUsage, the least HSM capabilities,
 * and which wrapping algorithms can carry the material (KMS-SPEC.md 1.2 compatibility table).
 * KMS names are spelled exactly as the AWS API has them.
 */
import { Algorithm } from '../protocol/algorithms.js';
import { ObjectType } from '../protocol/object-types.js';
import { UsageError } from '../errors.js';

export const CEREMONY_KEY_SPECS = [
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'SYMMETRIC_DEFAULT',
] as const;
export type CeremonyKeySpec = (typeof CEREMONY_KEY_SPECS)[number];

export const WRAPPING_ALGORITHMS = ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1'] as const;
export type WrappingAlgorithm = (typeof WRAPPING_ALGORITHMS)[number];
export const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const;
export type WrappingKeySpec = (typeof WRAPPING_KEY_SPECS)[number];
export type KeyUsage = 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT';

export interface KeySpecInfo {
  keySpec: CeremonyKeySpec;
  /** YubiHSM object type of the key (asymmetric 0x03, symmetric 0x08). */
  objectType: number;
  /** YubiHSM key algorithm. */
  algorithm: number;
  /** Usages KMS allows for this spec with EXTERNAL origin; the first is the default. */
  usages: readonly KeyUsage[];
  /** Size of the material KMS unwraps (PKCS#8 DER or raw), to check wrapping-algorithm capacity. */
  materialBytes: number;
  /** KMS signing algorithm used for verification, by usage. */
  signingAlgorithm?: string;
  /** Hash used by that signing algorithm (the HSM signs the digest). */
  hash?: 'sha256' | 'sha384' | 'sha512';
}

export const keySpecs: Record<CeremonyKeySpec, KeySpecInfo> = {
  ECC_NIST_P256: { keySpec: 'ECC_NIST_P256', objectType: ObjectType.ASYMMETRIC_KEY, algorithm: Algorithm.EC_P256, usages: ['SIGN_VERIFY'], materialBytes: 138, signingAlgorithm: 'ECDSA_SHA_256', hash: 'sha256' },
  ECC_NIST_P384: { keySpec: 'ECC_NIST_P384', objectType: ObjectType.ASYMMETRIC_KEY, algorithm: Algorithm.EC_P384, usages: ['SIGN_VERIFY'], materialBytes: 185, signingAlgorithm: 'ECDSA_SHA_384', hash: 'sha384' },
  ECC_NIST_P521: { keySpec: 'ECC_NIST_P521', objectType: ObjectType.ASYMMETRIC_KEY, algorithm: Algorithm.EC_P521, usages: ['SIGN_VERIFY'], materialBytes: 241, signingAlgorithm: 'ECDSA_SHA_512', hash: 'sha512' },
  ECC_SECG_P256K1: { keySpec: 'ECC_SECG_P256K1', objectType: ObjectType.ASYMMETRIC_KEY, algorithm: Algorithm.EC_K256, usages: ['SIGN_VERIFY'], materialBytes: 135, signingAlgorithm: 'ECDSA_SHA_256', hash: 'sha256' },
  RSA_2048: { keySpec: 'RSA_2048', objectType: ObjectType.ASYMMETRIC_KEY, algorithm: Algorithm.RSA_2048, usages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'], materialBytes: 1217, signingAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256', hash: 'sha256' },
  RSA_3072: { keySpec: 'RSA_3072', objectType: ObjectType.ASYMMETRIC_KEY, algorithm: Algorithm.RSA_3072, usages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'], materialBytes: 1792, signingAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256', hash: 'sha256' },
  RSA_4096: { keySpec: 'RSA_4096', objectType: ObjectType.ASYMMETRIC_KEY, algorithm: Algorithm.RSA_4096, usages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'], materialBytes: 2373, signingAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256', hash: 'sha256' },
  SYMMETRIC_DEFAULT: { keySpec: 'SYMMETRIC_DEFAULT', objectType: ObjectType.SYMMETRIC_KEY, algorithm: Algorithm.AES256, usages: ['ENCRYPT_DECRYPT'], materialBytes: 32 },
};

export function parseKeySpec(text: string): CeremonyKeySpec {
  const t = text.trim().toUpperCase();
  if ((CEREMONY_KEY_SPECS as readonly string[]).includes(t)) return t as CeremonyKeySpec;
  throw new UsageError(
    'UNKNOWN_KEY_SPEC',
    `Unknown key spec "${text}"; use one of ${CEREMONY_KEY_SPECS.join(', ')}.`,
  );
}

/** The HSM capabilities the generated key needs, and nothing more: its use plus exportable-under-wrap. */
export function keyCapabilityNames(spec: CeremonyKeySpec, usage: KeyUsage): string[] {
  if (spec === 'SYMMETRIC_DEFAULT') return ['encrypt-cbc', 'decrypt-cbc', 'exportable-under-wrap'];
  if (spec.startsWith('RSA_')) {
    return usage === 'SIGN_VERIFY'
      ? ['sign-pkcs', 'sign-pss', 'exportable-under-wrap']
      : ['decrypt-oaep', 'exportable-under-wrap'];
  }
  return ['sign-ecdsa', 'exportable-under-wrap'];
}

/** The OAEP and MGF1 hash of an RSA-AES key wrap (RSA_AES_KEY_WRAP_SHA_1 or _SHA_256). */
export function wrapHashOf(algorithm: WrappingAlgorithm): 'sha1' | 'sha256' {
  return algorithm.endsWith('_SHA_1') ? 'sha1' : 'sha256';
}

const oaepHashBytes = { RSAES_OAEP_SHA_1: 20, RSAES_OAEP_SHA_256: 32 } as const;
const modulusBytes = { RSA_2048: 256, RSA_3072: 384, RSA_4096: 512 } as const;

/**
 * Rejects, before any call, a key spec / wrapping algorithm / wrapping key spec combination KMS cannot use.
 * The HSM exports only with RSA-AES key wrap (GetRsaWrappedKey, 0x74), so RSAES_OAEP_* (material encrypted
 * directly with RSA) is refused for every HSM-held key.
 */
export function checkWrappingCombination(spec: CeremonyKeySpec, algorithm: WrappingAlgorithm, wrappingKeySpec: WrappingKeySpec): void {
  if (algorithm === 'RSAES_OAEP_SHA_1' || algorithm === 'RSAES_OAEP_SHA_256') {
    const capacity = modulusBytes[wrappingKeySpec] - 2 * oaepHashBytes[algorithm] - 2;
    const why = keySpecs[spec].materialBytes > capacity
      ? `${spec} material (${keySpecs[spec].materialBytes} bytes) does not fit in ${algorithm} with ${wrappingKeySpec} (at most ${capacity} bytes)`
      : `a YubiHSM exports keys only as RSA-AES key wrap (GetRsaWrappedKey), which ${algorithm} is not`;
    throw new UsageError(
      'BAD_WRAPPING_COMBINATION',
      `Cannot use ${algorithm} here: ${why}; use RSA_AES_KEY_WRAP_SHA_256 (the default).`,
    );
  }
}
