/**
 * The import request: what `hsm2kms prepare` (online) hands to `hsm2kms wrap` (offline). Versioned JSON, every
 * binary part with its SHA-256 (parts.ts):
 *
 *   { "format": "hsm2kms-import-request", "version": 1, "createdAt", "ceremonyId",
 *     "kms": { "target", "local", "keyArn", "alias", "keySpec", "keyUsage" },
 *     "importParameters": { "wrappingAlgorithm", "wrappingKeySpec", "parametersValidTo",
 *                           "wrappingPublicKey": {base64, sha256}, "importToken": {base64, sha256} },
 *     "message": {base64, sha256} }
 *
 * The wrapping public key is DER SubjectPublicKeyInfo (the console's WrappingPublicKey.bin), the token is opaque
 * (ImportToken.bin), the message is what the HSM signs in `wrap` and KMS signs in `complete`. Nothing in it is
 * secret. `wrap` also takes the console's Import_Parameters_<key id>.zip in its place (readRequestOrZip).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { sha256Hex } from '../../crypto/digest.js';
import { checkImportToken, keyIdFromConsoleZipName, readConsoleZip } from '../../kms/client/console-zip.js';
import { KmsUsageError } from '../../kms/client/errors.js';
import type { ImportParameters } from '../../kms/client/port.js';
import { parseRsaSpki } from '../../kms/client/wrapping-key.js';
import { CEREMONY_KEY_SPECS, WRAPPING_ALGORITHMS, WRAPPING_KEY_SPECS, type CeremonyKeySpec, type KeyUsage } from '../key-specs.js';
import { BundleError, BundleReader, part } from './parts.js';

export const REQUEST_FORMAT = 'hsm2kms-import-request';
export const REQUEST_VERSION = 1;
/** Where `prepare` keeps its copy for `complete` on the online machine. */
export const REQUEST_FILE = 'import-request.json';
const AGAIN = 'run hsm2kms prepare again and carry the new request to the offline machine';
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-)?[0-9a-fA-F-]+$/;

export interface ImportRequest {
  createdAt: Date;
  ceremonyId: string;
  kmsTarget: string;
  /** The KMS is on the machine prepare ran on (embedded or loopback): wrap refuses a real HSM for it by default. */
  kmsLocal?: boolean;
  alias: string;
  keySpec: CeremonyKeySpec;
  keyUsage: KeyUsage;
  params: ImportParameters;
  message: Uint8Array;
}

export function encodeRequest(r: ImportRequest): string {
  const p = r.params;
  return JSON.stringify({
    format: REQUEST_FORMAT,
    version: REQUEST_VERSION,
    createdAt: r.createdAt.toISOString(),
    ceremonyId: r.ceremonyId,
    kms: { target: r.kmsTarget, ...(r.kmsLocal !== undefined ? { local: r.kmsLocal } : {}), keyArn: p.keyArn, alias: r.alias, keySpec: r.keySpec, keyUsage: r.keyUsage },
    importParameters: {
      wrappingAlgorithm: p.wrappingAlgorithm,
      wrappingKeySpec: p.wrappingKeySpec,
      parametersValidTo: p.parametersValidTo.toISOString(),
      wrappingPublicKey: part(p.wrappingPublicKey),
      importToken: part(p.importToken),
    },
    message: part(r.message),
  }, null, 2) + '\n';
}

/** Rewrites an error of a kms/client check as a bundle error naming the part. */
function partCheck(b: BundleReader, field: string, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (e instanceof KmsUsageError) b.fail(field, `is not usable (${e.message.replace(/\.$/, '')})`);
    throw e;
  }
}

export function decodeRequest(b: BundleReader): ImportRequest {
  const wrappingPublicKey = b.part('importParameters.wrappingPublicKey');
  const importToken = b.part('importParameters.importToken');
  const message = b.part('message');
  const wrappingKeySpec = b.oneOf('importParameters.wrappingKeySpec', WRAPPING_KEY_SPECS);
  partCheck(b, 'importParameters.wrappingPublicKey', () => {
    const info = parseRsaSpki(wrappingPublicKey);
    if (info.wrappingKeySpec !== wrappingKeySpec) throw new KmsUsageError('SPEC', `a ${info.modulusBits}-bit key, not ${wrappingKeySpec}`);
  });
  partCheck(b, 'importParameters.importToken', () => checkImportToken(importToken, 'the token'));
  if (message.length < 1 || message.length > 4096) b.fail('message', 'must be 1 to 4096 bytes');
  return {
    createdAt: b.time('createdAt'),
    ceremonyId: b.str('ceremonyId'),
    kmsTarget: b.str('kms.target'),
    ...(b.has('kms.local') ? { kmsLocal: b.bool('kms.local') } : {}),
    alias: b.str('kms.alias', /^alias\//),
    keySpec: b.oneOf('kms.keySpec', CEREMONY_KEY_SPECS),
    keyUsage: b.oneOf('kms.keyUsage', ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'] as const),
    params: {
      keyArn: b.str('kms.keyArn', KEY_ARN),
      wrappingAlgorithm: b.oneOf('importParameters.wrappingAlgorithm', WRAPPING_ALGORITHMS),
      wrappingKeySpec,
      parametersValidTo: b.time('importParameters.parametersValidTo'),
      wrappingPublicKey,
      importToken,
    },
    message,
  };
}

export function readRequestText(text: string, what: string): ImportRequest {
  return decodeRequest(BundleReader.parse(text, what, REQUEST_FORMAT, REQUEST_VERSION, AGAIN, (doc) => {
    const f = (doc as Record<string, unknown> | null)?.format;
    return f === 'hsm2kms-import-parameters'
      ? 'is an import-parameters bundle (hsm2kms kms params), not an import request; give the import-request.json hsm2kms prepare wrote, or the console\'s Import_Parameters_<key id>.zip.'
      : f === 'hsm2kms-wrapped-key' ? 'is a wrapped-key bundle (hsm2kms wrap wrote it); hsm2kms complete takes it, wrap takes the import request.' : undefined;
  }));
}

/** What `wrap` was given: our request, or the console's zip (wrapping key and token only; the rest from flags). */
export type LoadedRequest =
  | { source: 'request'; fileSha256: string; request: ImportRequest }
  | { source: 'console-zip'; fileSha256: string; wrappingPublicKey: Uint8Array; importToken: Uint8Array; wrappingKeySpec: string; keyId?: string };

export function readRequestOrZip(path: string): LoadedRequest {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    throw new BundleError('BUNDLE_UNREADABLE', `Cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}); give the import-request.json of hsm2kms prepare or the console's Import_Parameters_<key id>.zip.`);
  }
  const fileSha256 = sha256Hex(data);
  const looksZip = data.length >= 2 && data[0] === 0x50 && data[1] === 0x4b;
  if (!looksZip && /\.zip$/i.test(path)) {
    throw new BundleError('BUNDLE_NOT_ZIP', `${path} is not a zip file (${data.length === 0 ? 'it is empty' : 'it does not start like one'}); download the import parameters from the AWS console again, or give the import-request.json of hsm2kms prepare.`);
  }
  if (looksZip) {
    const zip = readConsoleZip(new Uint8Array(data), path);
    const spec = parseRsaSpki(zip.wrappingPublicKey).wrappingKeySpec;
    return { source: 'console-zip', fileSha256, wrappingPublicKey: zip.wrappingPublicKey, importToken: zip.importToken, wrappingKeySpec: spec, keyId: keyIdFromConsoleZipName(basename(path)) };
  }
  return { source: 'request', fileSha256, request: readRequestText(data.toString('utf8'), path) };
}
