/**
 * The seed guide's KMS steps, one function per command, running the ceremony's own steps where one exists:
 *   step 2    `kms create`  CreateKey Origin=EXTERNAL + CreateAlias (the console's "create key" page)
 *   steps 2-3 `kms params`  GetParametersForImport -> Import_Parameters_<key id>.zip (or our JSON bundle) and
 *                           wrappingkey-aws.pem (what `openssl rsa -pubin -inform DER` makes of WrappingPublicKey.bin)
 *   step 5    `kms import`  ImportKeyMaterial of key0x100-wrapped-aws.bin with the import token
 *   step 6    `kms sign`    Sign -> message-aws.signature.b64 (`jq -r .Signature`) and message-aws.signature (DER)
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html
 */
import { existsSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { digest, sha256Hex } from '../../crypto/digest.js';
import { schemeForKmsAlgorithm } from '../../crypto/verify.js';
import { consoleZipFileName } from '../../kms/client/console-zip.js';
import { KmsNotFoundError } from '../../kms/client/errors.js';
import { encodeImportParams, readImportParams, type LoadedImportParameters } from '../../kms/client/import-params.js';
import { isEnumValue, SigningAlgorithmSpec } from '../../kms/client/names.js';
import type { ImportParameters, KmsKey } from '../../kms/client/port.js';
import { signatureToB64Text } from '../../kms/client/signature-format.js';
import { parseRsaSpki, wrappingKeyDerToPem } from '../../kms/client/wrapping-key.js';
import type { CeremonyContext } from '../context.js';
import { CeremonyError, RestartFrom } from '../errors.js';
import { CEREMONY_KEY_SPECS, checkWrappingCombination, keySpecs, WRAPPING_ALGORITHMS, WRAPPING_KEY_SPECS, type CeremonyKeySpec, type WrappingAlgorithm, type WrappingKeySpec as WrappingKeySpecName } from '../key-specs.js';
import { materialImported } from '../steps/import-state.js';
import { kmsCreateKey } from '../steps/kms-create-key.js';
import { kmsImport } from '../steps/kms-import.js';
import { fetchImportParameters, kmsImportParams, recordParams } from '../steps/kms-import-params.js';
import { readInputFile } from './files.js';
import { recordStep } from './open.js';
import { writeOutput, writeSignatureOutputs } from '../steps/outputs.js';

/** The KMS key behind a key id, ARN or alias, or a one-line error saying how to make it. */
export async function resolveKmsKey(ctx: CeremonyContext, keyRef: string): Promise<KmsKey> {
  try {
    return await ctx.kms.describeKey(keyRef);
  } catch (e) {
    if (e instanceof KmsNotFoundError) {
      throw new CeremonyError('KMS_KEY_NOT_FOUND', `KMS has no key ${keyRef} (${ctx.kms.target}); create it first (hsm2kms kms create) or name it with --key.`, { cause: e });
    }
    throw e;
  }
}

function ceremonySpec(key: KmsKey): CeremonyKeySpec {
  if (!(CEREMONY_KEY_SPECS as readonly string[]).includes(key.keySpec)) {
    throw new CeremonyError('KMS_KEY_SPEC_UNSUPPORTED', `KMS key ${key.arn} is ${key.keySpec}, which a YubiHSM key cannot become; use a key of ${CEREMONY_KEY_SPECS.join(', ')}.`);
  }
  return key.keySpec as CeremonyKeySpec;
}

/** Takes the key spec and usage from the KMS key (the KMS key decides what the material must be). */
export function adoptKmsKey(ctx: CeremonyContext, key: KmsKey): void {
  if (key.origin !== 'EXTERNAL') {
    throw new CeremonyError('KMS_KEY_NOT_EXTERNAL', `KMS key ${key.arn} has origin ${key.origin}; only keys created with origin EXTERNAL take imported material (hsm2kms kms create).`);
  }
  if (key.keyState === 'PendingDeletion') {
    throw new CeremonyError('KMS_KEY_PENDING_DELETION', `KMS key ${key.arn} is scheduled for deletion; cancel the deletion (aws kms cancel-key-deletion --key-id ${key.keyId}) first.`);
  }
  ctx.config.key.keySpec = ceremonySpec(key);
  ctx.config.key.usage = key.keyUsage === 'ENCRYPT_DECRYPT' ? 'ENCRYPT_DECRYPT' : 'SIGN_VERIFY';
  checkWrappingCombination(ctx.config.key.keySpec, ctx.config.kms.wrappingAlgorithm, ctx.config.kms.wrappingKeySpec);
  ctx.state.kmsKey = key;
}

/** Seed step 2 (the key): the ceremony's kms-create-key step (finds this work dir's key again by alias and tag). */
export async function kmsCreate(ctx: CeremonyContext): Promise<string> {
  return recordStep(ctx, 'kms-create-key', () => kmsCreateKey.run(ctx));
}

export interface ParamsResult {
  lines: string[];
  params: ImportParameters;
  file: string;
}

/** Seed steps 2-3 (the download and the PEM). Parameters still valid for this key are reused unless `fresh`. */
export async function kmsParams(ctx: CeremonyContext, o: { keyRef: string; file?: string; fresh: boolean }): Promise<ParamsResult> {
  const key = await resolveKmsKey(ctx, o.keyRef);
  adoptKmsKey(ctx, key);
  const lines: string[] = [];
  const outcome = await recordStep(ctx, 'kms-import-params', async () => {
    if (!o.fresh) {
      const found = await kmsImportParams.run(ctx);
      if (ctx.state.params) return found;
      lines.push(`note: ${key.arn} already holds imported material; these parameters serve only to import the same key again`);
    }
    const p = await fetchImportParameters(ctx, key.arn);
    await recordParams(ctx, p);
    return `${p.wrappingKeySpec} wrapping key ${sha256Hex(p.wrappingPublicKey).slice(0, 16)}…, token valid to ${p.parametersValidTo.toISOString()}`;
  });
  const p = ctx.state.params!;
  const file = o.file ?? join(ctx.paths.outDir, consoleZipFileName(key.arn));
  const bundle = file.toLowerCase().endsWith('.json');
  writeOutput(ctx, file, encodeImportParams(p, bundle ? 'bundle' : 'console-zip'), 0o600);
  // Reused parameters: the PEM beside them is written again (it may have been removed), as recordParams does.
  writeOutput(ctx, ctx.paths.wrappingKeyPem, wrappingKeyDerToPem(p.wrappingPublicKey), 0o644);
  lines.unshift(
    outcome,
    bundle
      ? `${file}: hsm2kms import-parameters bundle (wrapping key and import token, each with its SHA-256)`
      : `${file}: WrappingPublicKey.bin + ImportToken.bin, as the AWS console downloads them`,
    `${ctx.paths.wrappingKeyPem}: the wrapping public key as PEM (seed step 3), for hsm2kms hsm put-wrapkey`,
    `${p.wrappingAlgorithm} with ${p.wrappingKeySpec}; the import token expires at ${p.parametersValidTo.toISOString()}`,
  );
  return { lines, params: p, file };
}

function tokenRefused(e: RestartFrom, again: string): CeremonyError {
  const expired = /Expired/.test(e.reason);
  return new CeremonyError(
    expired ? 'IMPORT_TOKEN_EXPIRED' : 'IMPORT_TOKEN_REFUSED',
    `KMS refused the import token (${expired ? 'ExpiredImportTokenException: import parameters last 24 hours' : 'InvalidImportTokenException'}); ${again}`,
    { cause: e },
  );
}

/** The import parameters to use: the given file (console zip or bundle), else the last ones `kms params` kept. */
function loadParams(ctx: CeremonyContext, file: string | undefined): { loaded: LoadedImportParameters; file: string } {
  if (file) return { loaded: readImportParams(file), file };
  if (existsSync(ctx.paths.importParams)) return { loaded: readImportParams(ctx.paths.importParams), file: ctx.paths.importParams };
  throw new CeremonyError('IMPORT_PARAMS_NEEDED', 'No import parameters: give --params Import_Parameters_<key id>.zip (or the bundle), or fetch them with hsm2kms kms params.', { preflight: true });
}

/** Takes the wrapping algorithm and key spec of parameters read from a file, if the HSM can use them. */
export function adoptWrapping(ctx: CeremonyContext, algorithm: string, spec: string, file: string): void {
  if (!(WRAPPING_ALGORITHMS as readonly string[]).includes(algorithm) || !(WRAPPING_KEY_SPECS as readonly string[]).includes(spec)) {
    throw new CeremonyError('WRAPPING_UNSUPPORTED', `${file} is for ${algorithm} with ${spec}; a YubiHSM wraps for ${WRAPPING_ALGORITHMS.join(' or ')} with ${WRAPPING_KEY_SPECS.join(', ')}; fetch parameters for one of those.`, { preflight: true });
  }
  ctx.config.kms.wrappingAlgorithm = algorithm as WrappingAlgorithm;
  ctx.config.kms.wrappingKeySpec = spec as WrappingKeySpecName;
}

export const KMS_IMPORT_AGAIN = 'run hsm2kms kms params again, then hsm put-wrapkey and hsm wrap with the new wrapping key, then kms import.';

/** The wrapped key file `hsm2kms kms import` reads (also checked before any target is opened). */
export function readWrappedKeyFile(path: string): Uint8Array {
  return readInputFile(path, 'the wrapped key', 'wrap the key first (hsm2kms hsm wrap key0x100-wrapped-aws.bin).');
}

/** Seed step 5 (the upload): ImportKeyMaterial with the expiration model chosen explicitly (--valid-to or none). */
export async function kmsImportMaterial(ctx: CeremonyContext, o: { keyRef?: string; blobFile?: string; paramsFile?: string }): Promise<string> {
  const blobPath = o.blobFile ?? ctx.paths.wrappedKey;
  const blob = readWrappedKeyFile(blobPath);
  const { loaded, file } = loadParams(ctx, o.paramsFile);
  const keyRef = o.keyRef ?? (loaded.source === 'bundle' ? loaded.keyArn : loaded.keyId ?? ctx.config.kms.alias);
  const key = await resolveKmsKey(ctx, keyRef);
  if ((loaded.source === 'bundle' && loaded.keyArn !== key.arn) || (loaded.source === 'console-zip' && loaded.keyId && loaded.keyId !== key.keyId)) {
    throw new CeremonyError('IMPORT_PARAMS_OTHER_KEY', `${file} belongs to KMS key ${loaded.source === 'bundle' ? loaded.keyArn : loaded.keyId}, not ${key.arn}; give the parameters fetched for this key, or name their key with --key.`, { preflight: true });
  }
  adoptWrapping(ctx, loaded.source === 'bundle' ? loaded.wrappingAlgorithm : ctx.config.kms.wrappingAlgorithm, loaded.wrappingKeySpec, file);
  adoptKmsKey(ctx, key);
  if (materialImported(key)) return recordStep(ctx, 'kms-import', () => kmsImport.run(ctx));
  if (loaded.source === 'bundle' && loaded.parametersValidTo.getTime() <= ctx.now().getTime()) {
    throw new CeremonyError('IMPORT_TOKEN_EXPIRED', `The import parameters in ${file} expired at ${loaded.parametersValidTo.toISOString()}; ${KMS_IMPORT_AGAIN}`, { preflight: true });
  }
  const modulusBytes = parseRsaSpki(loaded.wrappingPublicKey).modulusBits / 8;
  if (blob.length <= modulusBytes + 8) {
    throw new CeremonyError('WRAPPED_KEY_TOO_SHORT', `${blobPath} is ${blob.length} bytes; a key wrapped for a ${loaded.wrappingKeySpec} wrapping key is ${modulusBytes} bytes of RSA-OAEP plus the AES-KWP part; wrap the key again (hsm2kms hsm wrap).`, { preflight: true });
  }
  ctx.state.params = loaded.source === 'bundle'
    ? loaded
    : { keyArn: key.arn, wrappingAlgorithm: ctx.config.kms.wrappingAlgorithm, wrappingKeySpec: loaded.wrappingKeySpec, wrappingPublicKey: loaded.wrappingPublicKey, importToken: loaded.importToken, parametersValidTo: new Date(8.64e15) };
  ctx.state.wrapped = blob;
  try {
    return await recordStep(ctx, 'kms-import', () => kmsImport.run(ctx));
  } catch (e) {
    if (e instanceof RestartFrom) throw tokenRefused(e, KMS_IMPORT_AGAIN);
    throw e;
  }
}

export { tokenRefused };

export interface SignResult {
  lines: string[];
  /** The `.b64` text (base64 and a newline), what `jq -r .Signature` prints. */
  base64Text: string;
}

/** The seed's name for the signature of `message-aws.txt`: `message-aws.signature`. */
export function signaturePathFor(messagePath: string): string {
  const base = basename(messagePath).replace(/\.txt$/i, '');
  return join(dirname(messagePath), `${base}.signature`);
}

/** Seed step 6: KMS signs the message file (written from --message first when it does not exist). */
export async function kmsSign(ctx: CeremonyContext, o: { keyRef: string; messageFile?: string; signatureFile?: string; algorithm?: string }): Promise<SignResult> {
  const lines: string[] = [];
  const messagePath = o.messageFile ?? ctx.paths.message;
  // A missing message file is written from --message only once KMS has the key and it can sign: a refused sign
  // leaves no file behind.
  const writeMessage = !existsSync(messagePath);
  const message = writeMessage ? new TextEncoder().encode(ctx.config.message) : readInputFile(messagePath, 'the message', 'give the file to sign.');
  const key = await resolveKmsKey(ctx, o.keyRef);
  if (key.keyUsage !== 'SIGN_VERIFY') {
    throw new CeremonyError('KMS_KEY_NOT_SIGNING', `KMS key ${key.arn} is for ${key.keyUsage}, not SIGN_VERIFY; it cannot sign.`);
  }
  const algorithm = o.algorithm ?? (keySpecs as Record<string, { signingAlgorithm?: string }>)[key.keySpec]?.signingAlgorithm ?? key.signingAlgorithms[0];
  if (!isEnumValue(SigningAlgorithmSpec, algorithm) || !key.signingAlgorithms.includes(algorithm)) {
    throw new CeremonyError('KMS_SIGNING_ALGORITHM', `KMS key ${key.arn} (${key.keySpec}) signs with ${key.signingAlgorithms.join(', ')}, not ${String(algorithm)}; choose one of those with --signing-algorithm.`);
  }
  if (writeMessage) {
    writeOutput(ctx, messagePath, ctx.config.message, 0o644);
    lines.push(`wrote ${messagePath} (${JSON.stringify(ctx.config.message)})`);
  }
  const scheme = schemeForKmsAlgorithm(algorithm)!;
  // RAW takes at most 4096 bytes (as `aws kms sign --message`); longer messages are signed as their digest.
  const raw = message.length <= 4096;
  const signed = await ctx.kms.sign({ keyRef: o.keyRef, message: raw ? message : digest(scheme.hash, message), messageType: raw ? 'RAW' : 'DIGEST', signingAlgorithm: algorithm });
  const sigPath = o.signatureFile ?? signaturePathFor(messagePath);
  writeSignatureOutputs(ctx, sigPath, signed.signature, key.keySpec);
  const written = { base64: `${sigPath}.b64`, binary: sigPath };
  ctx.state.kmsSignature = signed.signature;
  lines.push(
    `${key.arn} signed ${messagePath} (${message.length} bytes, ${raw ? 'RAW' : 'DIGEST'}) with ${algorithm}`,
    `${written.base64}: the Signature field (jq -r .Signature)`,
    `${written.binary}: the signature bytes (base64 -d), for openssl dgst -${scheme.hash} -verify`,
  );
  return { lines, base64Text: signatureToB64Text(signed.signature) };
}
