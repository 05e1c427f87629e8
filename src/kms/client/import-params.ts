/**
 * Import parameters on disk (GetParametersForImport's answer:
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html), in two forms:
 *  - our JSON bundle: format name + version, key ARN, wrapping algorithm and spec, ParametersValidTo, and each part
 *    as base64 with its SHA-256. Reading checks the format, the version and every hash, so a damaged or edited file
 *    is refused with a line naming the part and both hashes;
 *  - the console's `Import_Parameters_<key id>.zip` (see console-zip.ts), which has no metadata besides the file name.
 * Writes are atomic (temp file + fsync + rename): a crash leaves the old file or the new one, never half of one.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { sha256Hex } from '../../crypto/digest.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { checkImportToken, keyIdFromConsoleZipName, readConsoleZip, writeConsoleZip } from './console-zip.js';
import { KmsUsageError } from './errors.js';
import { AlgorithmSpec, isEnumValue, WrappingKeySpec } from './names.js';
import type { ImportParameters } from './port.js';
import { parseRsaSpki } from './wrapping-key.js';

export const IMPORT_PARAMS_FORMAT = 'hsm2kms-import-parameters';
export const IMPORT_PARAMS_VERSION = 1;

/** The JSON bundle as written (version 1). */
export interface ImportParamsBundleV1 {
  format: typeof IMPORT_PARAMS_FORMAT;
  version: 1;
  keyArn: string;
  wrappingAlgorithm: AlgorithmSpec;
  wrappingKeySpec: WrappingKeySpec;
  /** ISO 8601 UTC. */
  parametersValidTo: string;
  wrappingPublicKey: { base64: string; sha256: string };
  importToken: { base64: string; sha256: string };
}

/** What a file yields: everything for a bundle; for a console zip, the two parts and what can be inferred. */
export type LoadedImportParameters =
  | ({ source: 'bundle' } & ImportParameters)
  | {
      source: 'console-zip';
      wrappingPublicKey: Uint8Array;
      importToken: Uint8Array;
      /** From the wrapping key's modulus size. */
      wrappingKeySpec: WrappingKeySpec;
      /** From the file name `Import_Parameters_<key id>.zip`, when it has that form. */
      keyId?: string;
      readme?: string;
    };

const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

function fail(code: string, message: string): never {
  throw new KmsUsageError(code, message);
}

/** The bundle's JSON text (two-space indented, trailing newline). */
export function encodeImportParamsBundle(p: ImportParameters): string {
  checkParameters(p);
  const bundle: ImportParamsBundleV1 = {
    format: IMPORT_PARAMS_FORMAT,
    version: IMPORT_PARAMS_VERSION,
    keyArn: p.keyArn,
    wrappingAlgorithm: p.wrappingAlgorithm,
    wrappingKeySpec: p.wrappingKeySpec,
    parametersValidTo: p.parametersValidTo.toISOString(),
    wrappingPublicKey: { base64: b64(p.wrappingPublicKey), sha256: sha256Hex(p.wrappingPublicKey) },
    importToken: { base64: b64(p.importToken), sha256: sha256Hex(p.importToken) },
  };
  return JSON.stringify(bundle, null, 2) + '\n';
}

/** Parses and checks a bundle; `what` names it in errors (usually the path). */
export function decodeImportParamsBundle(text: string, what = 'The import parameters bundle'): ImportParameters {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    fail('KMS_IMPORT_PARAMS_NOT_JSON', `${what} is not JSON; give an hsm2kms import-parameters bundle or the console's Import_Parameters_<key id>.zip.`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    fail('KMS_IMPORT_PARAMS_FORMAT', `${what} is not an ${IMPORT_PARAMS_FORMAT} bundle (not a JSON object); fetch the import parameters again (hsm2kms kms params).`);
  }
  const o = doc as Record<string, unknown>;
  if (o.format !== IMPORT_PARAMS_FORMAT) {
    fail('KMS_IMPORT_PARAMS_FORMAT', `${what} is not an ${IMPORT_PARAMS_FORMAT} bundle (format ${JSON.stringify(o.format)}); fetch the import parameters again (hsm2kms kms params).`);
  }
  if (o.version !== IMPORT_PARAMS_VERSION) {
    fail('KMS_IMPORT_PARAMS_VERSION', `${what} has format version ${JSON.stringify(o.version)}, but this hsm2kms reads version ${IMPORT_PARAMS_VERSION}; use the hsm2kms that wrote it or fetch the import parameters again.`);
  }
  const str = (field: string): string => {
    const v = o[field];
    if (typeof v !== 'string' || v === '') fail('KMS_IMPORT_PARAMS_FIELD', `${what}: field ${field} is missing or not a string; fetch the import parameters again (hsm2kms kms params).`);
    return v;
  };
  const keyArn = str('keyArn');
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-)?[0-9a-fA-F-]+$/.test(keyArn)) {
    fail('KMS_IMPORT_PARAMS_FIELD', `${what}: keyArn ${JSON.stringify(keyArn)} is not a KMS key ARN; fetch the import parameters again.`);
  }
  const wrappingAlgorithm = str('wrappingAlgorithm');
  if (!isEnumValue(AlgorithmSpec, wrappingAlgorithm)) {
    fail('KMS_IMPORT_PARAMS_FIELD', `${what}: wrappingAlgorithm ${JSON.stringify(wrappingAlgorithm)} is not one of ${Object.values(AlgorithmSpec).join(', ')}.`);
  }
  const wrappingKeySpec = str('wrappingKeySpec');
  if (!isEnumValue(WrappingKeySpec, wrappingKeySpec)) {
    fail('KMS_IMPORT_PARAMS_FIELD', `${what}: wrappingKeySpec ${JSON.stringify(wrappingKeySpec)} is not one of ${Object.values(WrappingKeySpec).join(', ')}.`);
  }
  const validTo = str('parametersValidTo');
  const parametersValidTo = new Date(validTo);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(validTo) || Number.isNaN(parametersValidTo.getTime())) {
    fail('KMS_IMPORT_PARAMS_FIELD', `${what}: parametersValidTo ${JSON.stringify(validTo)} is not an ISO 8601 UTC time.`);
  }
  const part = (field: 'wrappingPublicKey' | 'importToken'): Uint8Array => {
    const v = o[field] as Record<string, unknown> | undefined;
    if (typeof v !== 'object' || v === null || typeof v.base64 !== 'string' || typeof v.sha256 !== 'string') {
      fail('KMS_IMPORT_PARAMS_FIELD', `${what}: field ${field} must be {"base64", "sha256"}; fetch the import parameters again.`);
    }
    const text = v.base64;
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
      fail('KMS_IMPORT_PARAMS_BASE64', `${what}: ${field}.base64 is not valid base64; the file was altered or damaged, so fetch the import parameters again.`);
    }
    const bytes = new Uint8Array(Buffer.from(text, 'base64'));
    const expected = v.sha256.toLowerCase();
    const actual = sha256Hex(bytes);
    if (expected !== actual) {
      fail('KMS_IMPORT_PARAMS_HASH_MISMATCH', `${what}: ${field} does not match its SHA-256 (expected ${expected}, actual ${actual}); the file was altered or damaged, so fetch the import parameters again (hsm2kms kms params).`);
    }
    return bytes;
  };
  const p: ImportParameters = {
    keyArn,
    wrappingAlgorithm,
    wrappingKeySpec,
    parametersValidTo,
    wrappingPublicKey: part('wrappingPublicKey'),
    importToken: part('importToken'),
  };
  checkParameters(p, what);
  return p;
}

/** Checks that the parts agree with each other: an RSA SPKI of the stated size, a token of a plausible length. */
function checkParameters(p: ImportParameters, what = 'The import parameters'): void {
  const info = parseRsaSpki(p.wrappingPublicKey, `The wrapping public key of ${what.charAt(0).toLowerCase()}${what.slice(1)}`);
  if (info.wrappingKeySpec !== p.wrappingKeySpec) {
    fail('KMS_IMPORT_PARAMS_SPEC_MISMATCH', `${what}: the wrapping key is ${info.modulusBits}-bit RSA but the wrapping key spec says ${p.wrappingKeySpec}; fetch the import parameters again.`);
  }
  checkImportToken(p.importToken, `The import token of ${what.charAt(0).toLowerCase()}${what.slice(1)}`);
  if (!(p.parametersValidTo instanceof Date) || Number.isNaN(p.parametersValidTo.getTime())) {
    fail('KMS_IMPORT_PARAMS_FIELD', `${what}: parametersValidTo is not a valid time.`);
  }
}

/** The README.txt written into our console-style zips (informative only; readers do not rely on it). */
export function consoleZipReadme(p: ImportParameters): string {
  return [
    'AWS KMS import parameters written by hsm2kms.',
    `Key ARN: ${p.keyArn}`,
    `Wrapping algorithm: ${p.wrappingAlgorithm}`,
    `Wrapping key spec: ${p.wrappingKeySpec}`,
    `Valid to: ${p.parametersValidTo.toISOString()}`,
    'WrappingPublicKey.bin is the DER wrapping public key; ImportToken.bin goes with it to ImportKeyMaterial.',
    '',
  ].join('\n');
}

/**
 * Writes the parameters atomically: `bundle` = our JSON bundle, `console-zip` = a zip laid out like the console's
 * (name it with consoleZipFileName). Mode 0600 unless `mode` says otherwise.
 */
export function writeImportParams(path: string, p: ImportParameters, options: { format: 'bundle' | 'console-zip'; mode?: number }): void {
  writeFileAtomic(path, encodeImportParams(p, options.format), { mode: options.mode ?? 0o600 });
}

/** The bytes writeImportParams writes (the zip's timestamps come from the parameters, so equal inputs give equal bytes). */
export function encodeImportParams(p: ImportParameters, format: 'bundle' | 'console-zip'): Uint8Array {
  return format === 'bundle'
    ? new TextEncoder().encode(encodeImportParamsBundle(p))
    : (checkParameters(p), writeConsoleZip({ ...p, readme: consoleZipReadme(p), mtime: new Date(p.parametersValidTo.getTime() - 24 * 3600_000) }));
}

/** Reads a bundle or a console zip (told apart by content, not by name). */
export function readImportParams(path: string): LoadedImportParameters {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    fail('KMS_IMPORT_PARAMS_UNREADABLE', `Cannot read import parameters ${path} (${code}); check the path.`);
  }
  if (data.length >= 2 && data[0] === 0x50 && data[1] === 0x4b) {
    const zip = readConsoleZip(new Uint8Array(data), path);
    const spec = parseRsaSpki(zip.wrappingPublicKey).wrappingKeySpec;
    const keyId = keyIdFromConsoleZipName(basename(path));
    return { source: 'console-zip', wrappingPublicKey: zip.wrappingPublicKey, importToken: zip.importToken, wrappingKeySpec: spec, keyId, readme: zip.readme };
  }
  return { source: 'bundle', ...decodeImportParamsBundle(data.toString('utf8'), path) };
}
