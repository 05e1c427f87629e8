/**
 * ImportToken of GetParametersForImport: opaque to clients, AES-256-GCM sealed under the server's token key, and
 * bound to the KMS key (account, Region, key ID), the wrapping algorithm and the wrapping key it was issued with,
 * with its issue and expiry times (KMS-SPEC 1.2). Tokens survive a restart with a data directory.
 */
import { aesGcmOpen, aesGcmSeal } from '../../crypto/kms-symmetric.js';

const VERSION = 1;
const AAD = new TextEncoder().encode('hsm2kms kms import token v1');

export interface ImportTokenClaims {
  account: string;
  region: string;
  keyId: string;
  wrappingAlgorithm: string;
  wrappingKeyId: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  /** Epoch milliseconds (ParametersValidTo). */
  expiresAt: number;
}

export function sealImportToken(tokenKey: Uint8Array, claims: ImportTokenClaims): Uint8Array {
  const sealed = aesGcmSeal(tokenKey, new TextEncoder().encode(JSON.stringify(claims)), AAD);
  const out = new Uint8Array(1 + sealed.length);
  out[0] = VERSION;
  out.set(sealed, 1);
  return out;
}

/** The claims of a token this server issued, or undefined for anything else (garbage, tampered, other server). */
export function openImportToken(tokenKey: Uint8Array, token: Uint8Array): ImportTokenClaims | undefined {
  if (token.length < 2 || token[0] !== VERSION) return undefined;
  const plain = aesGcmOpen(tokenKey, token.subarray(1), AAD);
  if (!plain) return undefined;
  try {
    const c = JSON.parse(new TextDecoder().decode(plain)) as ImportTokenClaims;
    return typeof c.keyId === 'string' && typeof c.wrappingKeyId === 'string' && typeof c.expiresAt === 'number' ? c : undefined;
  } catch {
    return undefined;
  }
}
