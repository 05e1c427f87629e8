/**
 * The wrapping public key of GetParametersForImport: DER X.509 SubjectPublicKeyInfo of an RSA key
 * (RFC 5280 4.1.2.7; rsaEncryption with NULL parameters, RFC 3279 2.3.1). KMS issues RSA 2048/3072/4096 with
 * e = 65537, which is also exactly what a YubiHSM 2 accepts as a public wrap key (seed step 4), so anything else is
 * refused here already. DER parsing and PEM armour come from src/crypto (spki.ts, der.ts).
 * `wrappingKeyDerToPem` produces what the seed's step 3 gets from `openssl rsa -pubin -inform DER -in
 * WrappingPublicKey.bin -out wrappingkey-aws.pem`: the same DER under a `PUBLIC KEY` armour in 64-character lines.
 */
import { Hsm2KmsError } from '../../errors.js';
import { parseSpki, spkiFromPem, spkiToPem } from '../../crypto/spki.js';
import { isRsaAlgorithm, rsaSizes } from '../../protocol/algorithms.js';
import { KmsUsageError } from './errors.js';
import type { WrappingKeySpec } from './names.js';

export interface RsaPublicKeyInfo {
  /** Bit length of the modulus n: 2048, 3072 or 4096. */
  modulusBits: number;
  /** The public exponent e (always 65537 once parsed). */
  publicExponent: bigint;
  /** The matching KMS WrappingKeySpec. */
  wrappingKeySpec: WrappingKeySpec;
}

function bad(what: string, why: string, cause?: unknown): never {
  throw new KmsUsageError(
    'KMS_WRAPPING_KEY_INVALID',
    `${what} is not a DER RSA 2048/3072/4096 SubjectPublicKeyInfo (${why.replace(/\.$/, '')}); use the WrappingPublicKey.bin that KMS issued.`,
    { cause },
  );
}

/** Parses and checks the wrapping key; throws KMS_WRAPPING_KEY_INVALID with the reason. */
export function parseRsaSpki(der: Uint8Array, what = 'The wrapping public key'): RsaPublicKeyInfo {
  if (!(der instanceof Uint8Array) || der.length === 0) bad(what, 'no bytes');
  let raw;
  try {
    raw = parseSpki(der);
  } catch (e) {
    if (e instanceof Hsm2KmsError) bad(what, e.message, e);
    throw e;
  }
  if (!isRsaAlgorithm(raw.algorithm)) bad(what, 'the key is not an RSA key');
  const modulusBits = rsaSizes[raw.algorithm] * 8;
  return { modulusBits, publicExponent: 65537n, wrappingKeySpec: `RSA_${modulusBits}` as WrappingKeySpec };
}

/** The PEM `openssl rsa -pubin -inform DER` writes for this key (LF line ends, trailing newline). */
export function wrappingKeyDerToPem(der: Uint8Array): string {
  parseRsaSpki(der);
  return spkiToPem(der);
}

/** The DER inside a `PUBLIC KEY` PEM (checked to be an RSA wrapping key). CRLF line ends are accepted. */
export function wrappingKeyPemToDer(pem: string): Uint8Array {
  let der: Uint8Array;
  try {
    der = spkiFromPem(pem);
  } catch (e) {
    throw new KmsUsageError(
      'KMS_WRAPPING_KEY_INVALID',
      'The text has no valid -----BEGIN PUBLIC KEY----- block; give the wrapping key as PEM (openssl rsa -pubin -inform DER) or as DER.',
      { cause: e },
    );
  }
  parseRsaSpki(der);
  return der;
}
