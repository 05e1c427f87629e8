/**
 * The AWS KMS console's import-parameters download, `Import_Parameters_<key id>.zip` (seed guide steps 2–3:
 * "Download the Wrapping Public Key and Import Token", then `unzip`). Today's console puts `WrappingPublicKey.bin`
 * (DER SubjectPublicKeyInfo) and `ImportToken.bin` (the opaque token) in it; the console of 2019 named them
 * `wrappingKey_<key id>_<timestamp>` and `importToken_<key id>_<timestamp>` and added
 * `README_<key id>_<timestamp>.txt` (archived developer guide, importing-keys-get-public-key-and-token.md).
 * Both layouts are read; README files, folders and macOS metadata are tolerated and ignored.
 * https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-get-public-key-and-token.html
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { KmsUsageError } from './errors.js';
import { parseRsaSpki } from './wrapping-key.js';

export const CONSOLE_WRAPPING_KEY_FILE = 'WrappingPublicKey.bin';
export const CONSOLE_IMPORT_TOKEN_FILE = 'ImportToken.bin';
/** The largest member read (a 4096-bit SPKI is 550 bytes, a token at most 6144 bytes); larger ones are refused. */
export const CONSOLE_ZIP_MEMBER_LIMIT = 64 * 1024;
/** ImportToken length bounds of the API model (blob 1–6144 bytes). */
export const IMPORT_TOKEN_MAX_BYTES = 6144;

export interface ConsoleImportParameters {
  /** DER SubjectPublicKeyInfo of the RSA wrapping key. */
  wrappingPublicKey: Uint8Array;
  importToken: Uint8Array;
  /** The README text, when the zip has one. */
  readme?: string;
  /** Every member name in the archive, in archive order. */
  members: string[];
}

/** `Import_Parameters_<key id>.zip`, the console's download name; a key ARN is reduced to its key id. */
export function consoleZipFileName(keyIdOrArn: string): string {
  const id = keyIdOrArn.includes(':key/') ? keyIdOrArn.slice(keyIdOrArn.lastIndexOf(':key/') + 5) : keyIdOrArn;
  if (!/^(mrk-)?[0-9a-fA-F-]{32,36}$/.test(id)) {
    throw new KmsUsageError('KMS_IMPORT_PARAMS_BAD_KEY_ID', `${JSON.stringify(keyIdOrArn)} is not a KMS key id or key ARN; give the key id the import parameters belong to.`);
  }
  return `Import_Parameters_${id}.zip`;
}

/** The key id in a console download name (`Import_Parameters_<id>.zip`, with or without a browser's ` (1)`). */
export function keyIdFromConsoleZipName(fileName: string): string | undefined {
  const m = /(?:^|[\\/])Import_Parameters_((?:mrk-)?[0-9a-fA-F-]{32,36})(?: ?\(\d+\))?\.zip$/.exec(fileName);
  return m ? m[1] : undefined;
}

type Part = 'wrapping' | 'token' | 'readme' | 'ignored';

function classify(name: string): Part {
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (name.endsWith('/') || name.startsWith('__MACOSX/') || base.startsWith('._') || base === '.DS_Store') return 'ignored';
  if (base === CONSOLE_WRAPPING_KEY_FILE || /^wrappingKey_/.test(base)) return 'wrapping';
  if (base === CONSOLE_IMPORT_TOKEN_FILE || /^importToken_/.test(base)) return 'token';
  if (/^README.*\.txt$/i.test(base)) return 'readme';
  return 'ignored';
}

/** Reads the console zip; `what` names it in errors (usually the path). */
export function readConsoleZip(zip: Uint8Array, what = 'The import parameters zip'): ConsoleImportParameters {
  if (zip.length < 4 || zip[0] !== 0x50 || zip[1] !== 0x4b) {
    throw new KmsUsageError('KMS_IMPORT_PARAMS_NOT_ZIP', `${what} is not a zip file; give the Import_Parameters_<key id>.zip the console downloaded, or an hsm2kms import-parameters bundle.`);
  }
  const members: string[] = [];
  const tooBig: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      filter: (f) => {
        members.push(f.name);
        if (classify(f.name) === 'ignored') return false;
        if (f.originalSize > CONSOLE_ZIP_MEMBER_LIMIT) {
          tooBig.push(f.name);
          return false;
        }
        return true;
      },
    });
  } catch (e) {
    throw new KmsUsageError('KMS_IMPORT_PARAMS_NOT_ZIP', `${what} is not a readable zip (${(e as Error).message}); download the import parameters again.`, { cause: e });
  }
  if (tooBig.length > 0) {
    throw new KmsUsageError('KMS_IMPORT_PARAMS_ZIP_MEMBER_TOO_LARGE', `${what}: ${tooBig[0]} is larger than ${CONSOLE_ZIP_MEMBER_LIMIT} bytes, so it is not a KMS import parameter; download the import parameters again.`);
  }
  const pick = (part: Part, expected: string): Uint8Array => {
    const names = Object.keys(files).filter((n) => classify(n) === part);
    if (names.length === 0) {
      throw new KmsUsageError('KMS_IMPORT_PARAMS_ZIP_MISSING', `${what} has no ${expected}; download the wrapping public key and import token again (both come in the same zip).`);
    }
    if (names.length > 1) {
      throw new KmsUsageError('KMS_IMPORT_PARAMS_ZIP_AMBIGUOUS', `${what} holds more than one ${expected} (${names.join(', ')}); use the zip exactly as the console downloaded it.`);
    }
    return files[names[0]];
  };
  const wrappingPublicKey = pick('wrapping', CONSOLE_WRAPPING_KEY_FILE);
  const importToken = pick('token', CONSOLE_IMPORT_TOKEN_FILE);
  parseRsaSpki(wrappingPublicKey, `${CONSOLE_WRAPPING_KEY_FILE} in ${what}`);
  checkImportToken(importToken, `${CONSOLE_IMPORT_TOKEN_FILE} in ${what}`);
  const readmeName = Object.keys(files).find((n) => classify(n) === 'readme');
  const readme = readmeName ? Buffer.from(files[readmeName]).toString('utf8') : undefined;
  return { wrappingPublicKey, importToken, readme, members };
}

/**
 * Builds a zip laid out like the console's (the two .bin members; a README.txt when `readme` is given), so the
 * seed's `unzip Import_Parameters_*.zip` + `openssl rsa -pubin -inform DER -in WrappingPublicKey.bin` works on it.
 * `mtime` fixes the members' timestamps (default: now).
 */
export function writeConsoleZip(parts: { wrappingPublicKey: Uint8Array; importToken: Uint8Array; readme?: string; mtime?: Date }): Uint8Array {
  parseRsaSpki(parts.wrappingPublicKey);
  checkImportToken(parts.importToken, 'The import token');
  const entries: Zippable = {
    [CONSOLE_WRAPPING_KEY_FILE]: parts.wrappingPublicKey,
    [CONSOLE_IMPORT_TOKEN_FILE]: parts.importToken,
  };
  if (parts.readme !== undefined) entries['README.txt'] = new Uint8Array(Buffer.from(parts.readme, 'utf8'));
  return zipSync(entries, { level: 6, mtime: parts.mtime ?? new Date() });
}

export function checkImportToken(token: Uint8Array, what: string): void {
  if (token.length < 1 || token.length > IMPORT_TOKEN_MAX_BYTES) {
    throw new KmsUsageError('KMS_IMPORT_TOKEN_INVALID', `${what} is ${token.length} bytes; KMS import tokens are 1 to ${IMPORT_TOKEN_MAX_BYTES} bytes, so fetch the import parameters again.`);
  }
}
