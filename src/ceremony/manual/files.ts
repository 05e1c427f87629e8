/**
 * Reading the files a person hands to the manual commands, with one-line errors that name the file: the wrapping
 * public key in any form the seed produces (wrappingkey-aws.pem, WrappingPublicKey.bin, the console zip or our
 * import-parameters bundle), and plain input files.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import { readImportParams } from '../../kms/client/import-params.js';
import { parseRsaSpki, wrappingKeyPemToDer } from '../../kms/client/wrapping-key.js';

export function readInputFile(path: string, what: string, hint: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError('FILE_UNREADABLE', `Cannot read ${what} ${path} (${code}); ${hint}`);
  }
}

/**
 * The DER SubjectPublicKeyInfo of a KMS wrapping key from: PEM (`openssl rsa -pubin -inform DER ... -out
 * wrappingkey-aws.pem`, seed step 3), DER (WrappingPublicKey.bin), the console's Import_Parameters_<id>.zip, or an
 * hsm2kms import-parameters bundle. Each form is checked to be an RSA 2048/3072/4096 key.
 */
export function readWrappingPublicKey(path: string): Uint8Array {
  const bytes = readInputFile(path, 'the wrapping public key', 'give wrappingkey-aws.pem (seed step 3), WrappingPublicKey.bin or the Import_Parameters_<key id>.zip.');
  if ((bytes[0] === 0x50 && bytes[1] === 0x4b) || bytes[0] === 0x7b) return readImportParams(path).wrappingPublicKey;
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN')) return wrappingKeyPemToDer(text);
  parseRsaSpki(bytes, `The wrapping public key ${path}`);
  return bytes;
}
