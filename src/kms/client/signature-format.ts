/**
 * The signature files of the seed guide's steps 6–7: `aws kms sign … | jq -r .Signature | tee
 * message-aws.signature.b64` (the base64 text KMS's Sign returns, plus the newline jq prints), then
 * `base64 -d > message-aws.signature` (the bytes as KMS returns them: DER ECDSA-Sig-Value for ECDSA keys, PKCS#1
 * bytes for RSA keys), which `openssl dgst -sha256 -verify key0x100.pub -signature message-aws.signature` checks.
 * ECDSA DER decoding is src/crypto/ecdsa-der.ts's (strict, r and s within the curve order).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html (Signature)
 */
import { join, dirname, basename } from 'node:path';
import { Hsm2KmsError } from '../../errors.js';
import { ecdsaDerDecode, ecdsaDerToRaw } from '../../crypto/ecdsa-der.js';
import type { CurveName } from '../../crypto/ecdsa.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { KmsUsageError } from './errors.js';
import type { KeySpec } from './names.js';

/** The OpenSSL curve of each ECC signing key spec. */
const CURVE: Partial<Record<KeySpec, CurveName>> = {
  ECC_NIST_P256: 'prime256v1',
  ECC_NIST_P384: 'secp384r1',
  ECC_NIST_P521: 'secp521r1',
  ECC_SECG_P256K1: 'secp256k1',
};
const RSA_BYTES: Partial<Record<KeySpec, number>> = { RSA_2048: 256, RSA_3072: 384, RSA_4096: 512 };

/**
 * Checks that `signature` has the encoding KMS uses for `keySpec`: strict DER ECDSA-Sig-Value with 1 ≤ r, s < n for
 * ECC specs, exactly the modulus length for RSA specs. Throws KMS_SIGNATURE_ENCODING otherwise.
 */
export function checkKmsSignatureEncoding(signature: Uint8Array, keySpec: KeySpec, what = 'The signature'): void {
  const curve = CURVE[keySpec];
  if (curve) {
    try {
      ecdsaDerDecode(signature, curve);
    } catch (e) {
      const why = e instanceof Hsm2KmsError || e instanceof RangeError ? e.message.replace(/\.$/, '') : String(e);
      throw new KmsUsageError('KMS_SIGNATURE_ENCODING', `${what} is not a DER ECDSA signature for ${keySpec} (${why}); use the bytes KMS Sign returned.`, { cause: e });
    }
    return;
  }
  const n = RSA_BYTES[keySpec];
  if (n !== undefined) {
    if (signature.length !== n) {
      throw new KmsUsageError('KMS_SIGNATURE_ENCODING', `${what} is ${signature.length} bytes, but ${keySpec} signatures are ${n} bytes; use the bytes KMS Sign returned.`);
    }
    return;
  }
  throw new KmsUsageError('KMS_SIGNATURE_ENCODING', `${keySpec} is not an ECC or RSA signing key spec; hsm2kms writes signatures of ECC and RSA keys only.`);
}

/** The `.b64` file's text: standard base64 with padding on one line, and the newline `jq -r` ends it with. */
export function signatureToB64Text(signature: Uint8Array): string {
  return Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('base64') + '\n';
}

/** The bytes of a `.b64` signature file (surrounding whitespace and one trailing newline tolerated). */
export function signatureFromB64Text(text: string, what = 'The signature file'): Uint8Array {
  const t = text.trim();
  if (t === '' || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t)) {
    throw new KmsUsageError('KMS_SIGNATURE_BASE64', `${what} is not one line of base64; give the .b64 file jq -r .Signature wrote.`);
  }
  return new Uint8Array(Buffer.from(t, 'base64'));
}

/** ECDSA only: the raw r‖s form (IEEE P1363 / JOSE), each half the curve's field size. */
export function ecdsaSignatureToRaw(signature: Uint8Array, keySpec: KeySpec): Uint8Array {
  const curve = CURVE[keySpec];
  if (!curve) throw new KmsUsageError('KMS_SIGNATURE_ENCODING', `${keySpec} is not an ECC key spec; only ECDSA signatures have an r‖s form.`);
  checkKmsSignatureEncoding(signature, keySpec);
  return ecdsaDerToRaw(signature, curve);
}

export interface SignatureFilePaths {
  /** The DER (or PKCS#1) bytes, e.g. `message-aws.signature`. */
  binary: string;
  /** `<binary>.b64`, e.g. `message-aws.signature.b64`. */
  base64: string;
}

/**
 * Writes the seed's two signature files atomically (mode 0644: signatures are public) after checking the
 * encoding for `keySpec`: `path` holds the bytes, `path + '.b64'` the base64 text.
 */
export function writeSignatureFiles(path: string, signature: Uint8Array, keySpec: KeySpec): SignatureFilePaths {
  checkKmsSignatureEncoding(signature, keySpec);
  const paths = { binary: path, base64: join(dirname(path), `${basename(path)}.b64`) };
  writeFileAtomic(paths.base64, signatureToB64Text(signature), { mode: 0o644 });
  writeFileAtomic(paths.binary, signature, { mode: 0o644 });
  return paths;
}
