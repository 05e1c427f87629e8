/**
 * Algorithms (PROTOCOL.md 4.5; values from yubihsm.h / python-yubihsm `ALGORITHM`).
 * Names are yubihsm-shell's. Each key algorithm carries what the codecs need (sizes, curve).
 */
import { UsageError } from '../errors.js';

export const Algorithm = {
  RSA_PKCS1_SHA1: 1,
  RSA_PKCS1_SHA256: 2,
  RSA_PKCS1_SHA384: 3,
  RSA_PKCS1_SHA512: 4,
  RSA_PSS_SHA1: 5,
  RSA_PSS_SHA256: 6,
  RSA_PSS_SHA384: 7,
  RSA_PSS_SHA512: 8,
  RSA_2048: 9,
  RSA_3072: 10,
  RSA_4096: 11,
  EC_P256: 12,
  EC_P384: 13,
  EC_P521: 14,
  EC_K256: 15,
  EC_BP256: 16,
  EC_BP384: 17,
  EC_BP512: 18,
  HMAC_SHA1: 19,
  HMAC_SHA256: 20,
  HMAC_SHA384: 21,
  HMAC_SHA512: 22,
  EC_ECDSA_SHA1: 23,
  EC_ECDH: 24,
  RSA_OAEP_SHA1: 25,
  RSA_OAEP_SHA256: 26,
  RSA_OAEP_SHA384: 27,
  RSA_OAEP_SHA512: 28,
  AES128_CCM_WRAP: 29,
  OPAQUE_DATA: 30,
  OPAQUE_X509_CERTIFICATE: 31,
  RSA_MGF1_SHA1: 32,
  RSA_MGF1_SHA256: 33,
  RSA_MGF1_SHA384: 34,
  RSA_MGF1_SHA512: 35,
  TEMPLATE_SSH: 36,
  AES128_YUBICO_OTP: 37,
  AES128_YUBICO_AUTHENTICATION: 38,
  AES192_YUBICO_OTP: 39,
  AES256_YUBICO_OTP: 40,
  AES192_CCM_WRAP: 41,
  AES256_CCM_WRAP: 42,
  EC_ECDSA_SHA256: 43,
  EC_ECDSA_SHA384: 44,
  EC_ECDSA_SHA512: 45,
  EC_ED25519: 46,
  EC_P224: 47,
  RSA_PKCS1_DECRYPT: 48,
  EC_P256_YUBICO_AUTHENTICATION: 49,
  AES128: 50,
  AES192: 51,
  AES256: 52,
  AES_ECB: 53,
  AES_CBC: 54,
  AES_KWP: 55,
} as const;
export type AlgorithmName = keyof typeof Algorithm;
export type AlgorithmCode = (typeof Algorithm)[AlgorithmName];

/** yubihsm-shell spellings. */
export const algorithmShellName: Record<AlgorithmCode, string> = {
  1: 'rsa-pkcs1-sha1',
  2: 'rsa-pkcs1-sha256',
  3: 'rsa-pkcs1-sha384',
  4: 'rsa-pkcs1-sha512',
  5: 'rsa-pss-sha1',
  6: 'rsa-pss-sha256',
  7: 'rsa-pss-sha384',
  8: 'rsa-pss-sha512',
  9: 'rsa2048',
  10: 'rsa3072',
  11: 'rsa4096',
  12: 'ecp256',
  13: 'ecp384',
  14: 'ecp521',
  15: 'eck256',
  16: 'ecbp256',
  17: 'ecbp384',
  18: 'ecbp512',
  19: 'hmac-sha1',
  20: 'hmac-sha256',
  21: 'hmac-sha384',
  22: 'hmac-sha512',
  23: 'ecdsa-sha1',
  24: 'ecdh',
  25: 'rsa-oaep-sha1',
  26: 'rsa-oaep-sha256',
  27: 'rsa-oaep-sha384',
  28: 'rsa-oaep-sha512',
  29: 'aes128-ccm-wrap',
  30: 'opaque-data',
  31: 'opaque-x509-certificate',
  32: 'mgf1-sha1',
  33: 'mgf1-sha256',
  34: 'mgf1-sha384',
  35: 'mgf1-sha512',
  36: 'template-ssh',
  37: 'aes128-yubico-otp',
  38: 'aes128-yubico-authentication',
  39: 'aes192-yubico-otp',
  40: 'aes256-yubico-otp',
  41: 'aes192-ccm-wrap',
  42: 'aes256-ccm-wrap',
  43: 'ecdsa-sha256',
  44: 'ecdsa-sha384',
  45: 'ecdsa-sha512',
  46: 'ed25519',
  47: 'ecp224',
  48: 'rsa-pkcs1-decrypt',
  49: 'ecp256-yubico-authentication',
  50: 'aes128',
  51: 'aes192',
  52: 'aes256',
  53: 'aes-ecb',
  54: 'aes-cbc',
  55: 'aes-kwp',
};

const shellToCode = new Map<string, AlgorithmCode>(
  Object.entries(algorithmShellName).map(([k, v]) => [v, Number(k) as AlgorithmCode]),
);
// Aliases the shell and python accept.
for (const [alias, code] of [
  ['ec-p256', 12], ['ec-p384', 13], ['ec-p521', 14], ['ec-k256', 15], ['ec-bp256', 16], ['ec-bp384', 17],
  ['ec-bp512', 18], ['ec-p224', 47], ['rsa-2048', 9], ['rsa-3072', 10], ['rsa-4096', 11], ['aes-128', 50],
  ['aes-192', 51], ['aes-256', 52], ['yubico-aes-auth', 38],
] as const) shellToCode.set(alias, code);

export function isAlgorithm(v: number): v is AlgorithmCode {
  return Number.isInteger(v) && v >= 1 && v <= 55;
}

export function algorithmName(v: number): string {
  return isAlgorithm(v) ? algorithmShellName[v] : `unknown-algorithm-${v}`;
}

export function parseAlgorithm(name: string): AlgorithmCode {
  const code = shellToCode.get(name.trim().toLowerCase());
  if (code === undefined) {
    throw new UsageError('UNKNOWN_ALGORITHM', `Unknown algorithm "${name}"; use yubihsm-shell names such as ecp256, rsa2048, aes256.`);
  }
  return code;
}

/** EC key algorithms: curve names as node:crypto / OpenSSL know them, field size f, curve OID. */
export const ecCurves = {
  12: { nodeCurve: 'prime256v1', size: 32, oid: '1.2.840.10045.3.1.7', jwk: 'P-256' },
  13: { nodeCurve: 'secp384r1', size: 48, oid: '1.3.132.0.34', jwk: 'P-384' },
  14: { nodeCurve: 'secp521r1', size: 66, oid: '1.3.132.0.35', jwk: 'P-521' },
  15: { nodeCurve: 'secp256k1', size: 32, oid: '1.3.132.0.10', jwk: 'secp256k1' },
  16: { nodeCurve: 'brainpoolP256r1', size: 32, oid: '1.3.36.3.3.2.8.1.1.7', jwk: undefined },
  17: { nodeCurve: 'brainpoolP384r1', size: 48, oid: '1.3.36.3.3.2.8.1.1.11', jwk: undefined },
  18: { nodeCurve: 'brainpoolP512r1', size: 64, oid: '1.3.36.3.3.2.8.1.1.13', jwk: undefined },
  47: { nodeCurve: 'secp224r1', size: 28, oid: '1.3.132.0.33', jwk: undefined },
} as const;
export type EcAlgorithm = keyof typeof ecCurves;

/** RSA key algorithms: modulus size in bytes. */
export const rsaSizes = { 9: 256, 10: 384, 11: 512 } as const;
export type RsaAlgorithm = keyof typeof rsaSizes;

export function isEcAlgorithm(a: number): a is EcAlgorithm {
  return a in ecCurves;
}
export function isRsaAlgorithm(a: number): a is RsaAlgorithm {
  return a === 9 || a === 10 || a === 11;
}
export function isAsymmetricKeyAlgorithm(a: number): boolean {
  return isEcAlgorithm(a) || isRsaAlgorithm(a) || a === Algorithm.EC_ED25519;
}

/** HMAC key algorithms: hash name and block size B (max key length). */
export const hmacAlgorithms = {
  19: { hash: 'sha1', block: 64, macLength: 20 },
  20: { hash: 'sha256', block: 64, macLength: 32 },
  21: { hash: 'sha384', block: 128, macLength: 48 },
  22: { hash: 'sha512', block: 128, macLength: 64 },
} as const;
export type HmacAlgorithm = keyof typeof hmacAlgorithms;
export function isHmacAlgorithm(a: number): a is HmacAlgorithm {
  return a >= 19 && a <= 22;
}

/** AES key sizes for AES-CCM wrap keys (29/41/42), symmetric keys (50/51/52) and OTP AEAD keys (37/39/40). */
export const aesKeySizes: Partial<Record<AlgorithmCode, number>> = {
  29: 16, 41: 24, 42: 32, 50: 16, 51: 24, 52: 32, 37: 16, 39: 24, 40: 32,
};

/** Hash selectors used by OAEP (25-28) and MGF1 (32-35). */
export const oaepHashes = { 25: 'sha1', 26: 'sha256', 27: 'sha384', 28: 'sha512' } as const;
export const mgf1Hashes = { 32: 'sha1', 33: 'sha256', 34: 'sha384', 35: 'sha512' } as const;
export type OaepAlgorithm = keyof typeof oaepHashes;
export type Mgf1Algorithm = keyof typeof mgf1Hashes;
export const hashLengths = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 } as const;
export type HashName = keyof typeof hashLengths;

/** Algorithms valid for each object type when created (PROTOCOL.md 4.2/4.5). */
export function validKeyAlgorithmsFor(type: number): readonly number[] {
  switch (type) {
    case 0x01: return [30, 31];
    case 0x02: return [38, 49];
    case 0x03: return [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 46, 47];
    case 0x04: return [29, 41, 42, 9, 10, 11];
    case 0x05: return [19, 20, 21, 22];
    case 0x06: return [36];
    case 0x07: return [37, 39, 40];
    case 0x08: return [50, 51, 52];
    case 0x09: return [9, 10, 11];
    default: return [];
  }
}
