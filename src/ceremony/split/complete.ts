/**
 * `hsm2kms complete`, the second online part of the air-gapped split: takes the wrapped-key bundle `wrap` wrote
 * and the import request `prepare` kept (or the console zip the wrap was made from), checks offline that they
 * belong together (import token and wrapping key hashes, key ARN), that the attestation certifies the bundle's
 * public key and the HSM signature verifies with it; then imports (the ceremony's kms-import step), verifies both
 * ways (KMS GetPublicKey equals the HSM public key; KMS signs and the HSM public key verifies; KMS Verify accepts
 * the signature the HSM made in `wrap`), and writes the seed's files and the transcript. An import token KMS
 * refuses (expired after 24 hours) is a one-line error saying to run prepare again.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { sha256Hex } from '../../crypto/digest.js';
import { verifyLogChain } from '../../crypto/log-chain.js';
import { parseSpki, spkiToPem } from '../../crypto/spki.js';
import { schemeForKmsAlgorithm, verifySignature } from '../../crypto/verify.js';
import { certificateToPem } from '../../crypto/x509.js';
import type { ImportParameters } from '../../kms/client/port.js';
import { wrappingKeyDerToPem } from '../../kms/client/wrapping-key.js';
import type { CeremonyContext } from '../context.js';
import { CeremonyError, RestartFrom, VerificationError } from '../errors.js';
import { keySpecs } from '../key-specs.js';
import { adoptKmsKey, adoptWrapping, resolveKmsKey, tokenRefused } from '../manual/kms-steps.js';
import { recordStep } from '../manual/open.js';
import { outputFileHashes } from '../steps/evidence.js';
import { writeOutput, checkOutputsOurs } from '../steps/outputs.js';
import { materialImported } from '../steps/import-state.js';
import { kmsImport } from '../steps/kms-import.js';
import { buildTranscript } from '../transcript.js';
import { kmsKnownOnlyByAnswer, refuseRealHsmToLocalKms, refuseSimulatedToRealKms } from '../simulated.js';
import { isSimulatorDeviceCertificate } from '../simulator-ca.js';
import { anchorChain, checkAttestation, readTrustedCas } from '../verify-transcript.js';
import { workDirRequestPath } from './prepare.js';
import { readRequestOrZip } from './request.js';
import { readWrapped, type WrappedKeyBundle } from './wrapped.js';
import { checkKmsAcceptsHsmSignature, checkKmsDecryptsForHsmKey, checkKmsPublicKey, checkKmsSignature, must, type Checks } from '../steps/verify.js';

export const SPLIT_AGAIN = 'run hsm2kms prepare again, then hsm2kms wrap with the new request on the offline machine, then hsm2kms complete with what it writes.';

export interface CompleteOptions {
  wrappedPath: string;
  /** The import request (or console zip) the wrap was made from; default: the one prepare kept in the work dir. */
  requestPath?: string;
  keyRef?: string;
  /** Import a key a software YubiHSM 2 wrapped into a KMS that is not on this machine (refused by default). */
  allowSimulatedHsm?: boolean;
  /** Import a key a real YubiHSM 2 wrapped into a local KMS, which keeps the material in a file (refused by default). */
  allowLocalKms?: boolean;
}

export interface CompleteResult {
  lines: string[];
  keyArn: string;
  fingerprint: string;
  transcript: string;
}

/** The request the bundle was wrapped for, as full import parameters, after checking the two belong together. */
function matchRequest(ctx: CeremonyContext, w: WrappedKeyBundle, o: CompleteOptions): { params: ImportParameters; path: string; alias?: string; zipKeyId?: string } {
  const path = o.requestPath ?? workDirRequestPath(ctx);
  if (!o.requestPath && !existsSync(path)) {
    throw new CeremonyError('REQUEST_NEEDED', `No import request in ${ctx.paths.workDir}; give --request with the import-request.json hsm2kms prepare wrote, or the console's Import_Parameters_<key id>.zip the wrap was made from.`, { preflight: true });
  }
  const loaded = readRequestOrZip(path);
  const token = loaded.source === 'request' ? loaded.request.params.importToken : loaded.importToken;
  const wrapping = loaded.source === 'request' ? loaded.request.params.wrappingPublicKey : loaded.wrappingPublicKey;
  const differs = [
    ['import token', w.request.importTokenSha256, sha256Hex(token)],
    ['wrapping public key', w.request.wrappingPublicKeySha256, sha256Hex(wrapping)],
  ].filter(([, want, have]) => want !== have);
  if (differs.length > 0) {
    const what = differs.map(([part, want, have]) => `${part} SHA-256 ${want.slice(0, 16)}…, not ${have.slice(0, 16)}…`).join('; ');
    throw new CeremonyError('WRAPPED_FOR_OTHER_PARAMETERS', `${o.wrappedPath} was wrapped for other import parameters than ${path} (${what}); run hsm2kms wrap again with this request, or give the request it was made from with --request.`, { preflight: true });
  }
  if (loaded.source === 'request') return { params: loaded.request.params, path, alias: loaded.request.alias };
  const params: ImportParameters = {
    keyArn: '', wrappingAlgorithm: w.request.wrappingAlgorithm, wrappingKeySpec: w.request.wrappingKeySpec,
    wrappingPublicKey: wrapping, importToken: token, parametersValidTo: new Date(8.64e15),
  };
  return { params, path, zipKeyId: loaded.keyId };
}

/**
 * What can be checked before touching KMS: the bundle's public key, attestation, HSM signature and audit log. With
 * --attestation-ca, `anchor` holds the certificates of that file the recorded chain was anchored with (none when it
 * already ends at the root), for the transcript to hold the whole chain as import's does.
 */
function checkBundleOffline(ctx: CeremonyContext, w: WrappedKeyBundle): { line: string; anchor: Uint8Array[] } {
  const spec = keySpecs[w.key.keySpec];
  let algorithm: number;
  try {
    algorithm = parseSpki(w.publicKey).algorithm;
  } catch (e) {
    throw new VerificationError('BUNDLE_PUBLIC_KEY_INVALID', `The wrapped bundle's public key does not parse (${(e as Error).message.replace(/\.$/, '')}); run hsm2kms wrap again.`, { cause: e });
  }
  must(algorithm === spec.algorithm, 'BUNDLE_PUBLIC_KEY_INVALID', `The wrapped bundle's public key is not a ${w.key.keySpec} key; run hsm2kms wrap again.`);
  const keyId = Number(w.hsm.key.id);
  const failed = checkAttestation(w.publicKey, w.attestation.certificate, w.attestation.chain, keyId).find((c) => c.status === 'fail');
  must(!failed, 'ATTESTATION_NOT_VERIFIED', `The wrapped bundle's attestation does not hold: ${failed?.detail}; do not import this key, and investigate the offline machine and the HSM.`);
  // --attestation-ca here too: the chain the offline machine recorded must lead to a root of that file.
  const caFile = ctx.config.hsm.attestationCa;
  const anchored = caFile !== undefined ? anchorChain(w.attestation.chain, readTrustedCas(caFile)) : undefined;
  must(anchored === undefined || anchored.ok, 'HSM_NOT_ATTESTED', `The wrapped bundle's attestation chain does not lead to a root in ${caFile} (${anchored?.ok === false ? anchored.reason : ''}); do not import this key: it may not come from a genuine YubiHSM 2.`);
  if (w.key.keyUsage === 'SIGN_VERIFY') {
    const sig = w.hsmSignature;
    must(sig !== undefined && sig.signingAlgorithm === spec.signingAlgorithm, 'HSM_SIGNATURE_MISSING', `The wrapped bundle has no ${spec.signingAlgorithm} signature by the HSM key; run hsm2kms wrap again.`);
    must(verifySignature(w.publicKey, schemeForKmsAlgorithm(sig!.signingAlgorithm)!, w.message, sig!.signature), 'HSM_SIGNATURE_NOT_VERIFIED', 'The HSM signature in the wrapped bundle does not verify with its public key; run hsm2kms wrap again.');
  }
  const raws = w.auditLog.entries.map((e) => new Uint8Array(Buffer.from(e.raw, 'hex')));
  const chain = verifyLogChain(raws);
  must(chain.ok, 'AUDIT_LOG_BROKEN', `The wrapped bundle's audit log does not chain (${chain.ok ? '' : chain.message.replace(/\.$/, '')}); investigate the offline machine.`);
  const anchor = anchored?.ok ? anchored.path : [];
  const line = `attestation certifies public key ${sha256Hex(w.publicKey).slice(0, 16)}… of ${w.hsm.key.id}${w.attestation.chain.length ? ' and is signed by the device attestation certificate' : ''}${anchored?.ok ? `, ${anchored.detail}` : ''}${w.hsmSignature ? '; the HSM signature verifies' : ''}; ${raws.length} audit-log entries chain`;
  return { line, anchor };
}

async function verifyBothWays(ctx: CeremonyContext, w: WrappedKeyBundle): Promise<string> {
  const arn = ctx.state.kmsKey!.arn;
  const spki = w.publicKey;
  const checks: Checks = {};
  ctx.state.verification = checks;
  await checkKmsPublicKey(ctx, arn, spki, checks);
  checks.kmsPublicKeyEqualsAttestedPublicKey = true; // the offline check found attested key == bundle public key
  if (ctx.config.key.usage === 'SIGN_VERIFY') {
    await checkKmsSignature(ctx, arn, spki, w.message, checks);
    await checkKmsAcceptsHsmSignature(ctx, w.message, w.hsmSignature!.signature, checks);
  } else {
    await checkKmsDecryptsForHsmKey(ctx, spki, checks);
  }
  const passed = Object.values(checks).filter((v) => v === true).length;
  checks.publicKeySha256 = sha256Hex(spki);
  return `public keys equal (SHA-256 ${checks.publicKeySha256}); ${passed} checks passed both ways (the HSM's side signed in wrap)`;
}

/** Marks steps done elsewhere (in prepare, in wrap, or outside hsm2kms) in this work dir's journal. */
async function noteDoneElsewhere(ctx: CeremonyContext, w: WrappedKeyBundle, requestPath: string): Promise<void> {
  for (const s of w.steps) {
    if (s.status !== 'done') throw new CeremonyError('WRAP_INCOMPLETE', `The wrapped bundle records step ${s.name} as ${s.status}; run hsm2kms wrap again.`);
    await recordStep(ctx, s.name, async () => `${s.outcome ?? 'done'} (in wrap, offline)`);
  }
  const key = ctx.state.kmsKey!;
  if (ctx.journal.step('kms-create-key').status !== 'done') await recordStep(ctx, 'kms-create-key', async () => `${key.arn} (made outside hsm2kms prepare)`);
  if (ctx.journal.step('kms-import-params').status !== 'done') await recordStep(ctx, 'kms-import-params', async () => `import parameters from ${basename(requestPath)}`);
}

/** The evidence files complete writes from the bundle, known before anything changes: [path, content, mode]. */
function bundleFiles(ctx: CeremonyContext, w: WrappedKeyBundle): Array<[string, Uint8Array | string, number]> {
  const p = ctx.paths;
  const a = ctx.state.attestation!;
  return [
    [p.publicKey, spkiToPem(w.publicKey), 0o644],
    [p.attestation, [a.certificate, ...a.chain].map(certificateToPem).join(''), 0o644],
    [p.wrappedKey, w.wrappedKey, 0o600],
    [p.wrappingKeyPem, wrappingKeyDerToPem(ctx.state.params!.wrappingPublicKey), 0o644],
  ];
}

function writeEvidence(ctx: CeremonyContext, w: WrappedKeyBundle, requestPath: string): string {
  const p = ctx.paths;
  for (const [path, data, mode] of bundleFiles(ctx, w)) writeOutput(ctx, path, data, mode);
  const transcript = buildTranscript(ctx, ctx.journal, ctx.run.startedAt, outputFileHashes(ctx), ctx.run.targets) as ReturnType<typeof buildTranscript> & Record<string, unknown>;
  transcript.hsm.authKey = w.hsm.authKey;
  transcript.hsm.key = w.hsm.key;
  transcript.hsm.wrapKey = w.hsm.wrapKey;
  transcript.auditLog = { entries: w.auditLog.entries, chainVerified: w.auditLog.chainVerified, note: 'entries written during hsm2kms wrap (offline), oldest first; raw holds each 32-byte entry' };
  for (const s of transcript.steps) {
    const offline = w.steps.find((x) => x.name === s.name);
    if (offline) Object.assign(s, { startedAt: offline.startedAt, finishedAt: offline.finishedAt, ms: offline.ms, attempts: offline.attempts });
    if (s.name === 'evidence') Object.assign(s, { status: 'done', outcome: `transcript ${p.transcript}` });
  }
  transcript.airGap = {
    request: { file: basename(requestPath), source: w.request.source, ceremonyId: w.request.ceremonyId },
    wrappedAt: w.createdAt.toISOString(),
    hsmSignature: w.hsmSignature && { signingAlgorithm: w.hsmSignature.signingAlgorithm, signatureBase64: Buffer.from(w.hsmSignature.signature).toString('base64') },
  };
  writeOutput(ctx, p.transcript, JSON.stringify(transcript, null, 2) + '\n', 0o644);
  return `transcript ${p.transcript}`;
}

export async function runComplete(ctx: CeremonyContext, o: CompleteOptions): Promise<CompleteResult> {
  const w = readWrapped(o.wrappedPath);
  const { params, path: requestPath, alias, zipKeyId } = matchRequest(ctx, w, o);
  const c = ctx.config;
  c.key.keySpec = w.key.keySpec;
  c.key.usage = w.key.keyUsage;
  if (alias) c.kms.alias = alias;
  adoptWrapping(ctx, w.request.wrappingAlgorithm, w.request.wrappingKeySpec, o.wrappedPath);
  try {
    c.message = new TextDecoder('utf-8', { fatal: true }).decode(w.message);
  } catch {
    throw new CeremonyError('MESSAGE_NOT_TEXT', 'The message in the wrapped bundle is not UTF-8 text; run hsm2kms prepare with a text --message.', { preflight: true });
  }
  const simulated = w.hsm.simulated || (w.attestation.chain[0] !== undefined && isSimulatorDeviceCertificate(w.attestation.chain[0]));
  const checkTargets = (): void => {
    const shownLocal = ctx.kms.localKmsSeen?.() ?? false;
    if (simulated) {
      refuseSimulatedToRealKms(c.kms.target, o.allowSimulatedHsm ?? false, `${o.wrappedPath}, which a software YubiHSM 2 (a simulator) wrapped`, 'run hsm2kms wrap next to a real YubiHSM (--connector or --usb)', shownLocal);
    } else {
      // As import's pre-flight: a real YubiHSM 2's key goes to no local KMS (prepare's default, the embedded one).
      refuseRealHsmToLocalKms(c.kms.target, o.allowLocalKms ?? false, `${o.wrappedPath}, which ${w.hsm.target} wrapped (not a simulator),`, shownLocal);
    }
  };
  // Where the KMS is known beforehand (AWS, loopback), before any KMS call; an endpoint elsewhere may be an hsm2kms
  // local KMS server, which says so in its answers: checked once DescribeKey (reading only) has had one.
  const askKms = kmsKnownOnlyByAnswer(c.kms.target);
  if (!askKms) checkTargets();
  const offline = checkBundleOffline(ctx, w);
  const lines = [offline.line];

  // The request and the bundle name the same KMS key (an edited request would otherwise send complete to another).
  if (params.keyArn && w.request.keyArn && params.keyArn !== w.request.keyArn) {
    throw new CeremonyError('REQUEST_OTHER_KEY', `${requestPath} names KMS key ${params.keyArn}, but ${o.wrappedPath} was wrapped for ${w.request.keyArn}; give the request the wrap was made from (--request).`, { preflight: true });
  }
  const keyRef = o.keyRef ?? (params.keyArn || zipKeyId || w.request.keyId || c.kms.alias);
  const key = await resolveKmsKey(ctx, keyRef);
  if (askKms) checkTargets();
  for (const [what, arn] of [['the import request', params.keyArn], ['the wrapped bundle', w.request.keyArn ?? '']] as const) {
    if (arn && arn !== key.arn) throw new CeremonyError('REQUEST_OTHER_KEY', `${what} belongs to KMS key ${arn}, not ${key.arn}; give the matching files or --key.`, { preflight: true });
  }
  if (key.keySpec !== w.key.keySpec || key.keyUsage !== w.key.keyUsage) {
    throw new CeremonyError('KMS_KEY_MISMATCH', `KMS key ${key.arn} is ${key.keySpec} ${key.keyUsage}, but the HSM key is ${w.key.keySpec} ${w.key.keyUsage}; give the KMS key the request was made for.`, { preflight: true });
  }
  adoptKmsKey(ctx, key);
  const imported = materialImported(key);
  if (!imported && params.parametersValidTo.getTime() <= ctx.now().getTime()) {
    throw new CeremonyError('IMPORT_TOKEN_EXPIRED', `The import token of ${requestPath} expired at ${params.parametersValidTo.toISOString()} (import parameters last 24 hours); ${SPLIT_AGAIN}`, { preflight: true });
  }

  const s = ctx.state;
  s.params = { ...params, keyArn: key.arn };
  s.wrapped = w.wrappedKey;
  s.publicKeySpki = w.publicKey;
  s.attestation = { certificate: w.attestation.certificate, chain: [...w.attestation.chain, ...offline.anchor] };
  s.firmware = w.hsm.firmware;
  s.serial = w.hsm.serial;
  ctx.run = { startedAt: ctx.run.startedAt, targets: { hsm: w.hsm.target, kms: ctx.run.targets.kms, simulated: simulated || ctx.run.targets.simulated } };
  // The evidence files: none of the user's is written over (files wrap wrote here from the same bundle are equal).
  checkOutputsOurs(ctx, new Map(bundleFiles(ctx, w).map(([path, data]) => [path, data])));
  ctx.journal.setFacts({
    kmsKeyArn: key.arn,
    importParams: { file: requestPath, parametersValidTo: params.parametersValidTo.toISOString(), wrappingKeySha256: sha256Hex(params.wrappingPublicKey), importTokenSha256: sha256Hex(params.importToken) },
    wrappedBlob: { file: o.wrappedPath, sha256: sha256Hex(w.wrappedKey), importTokenSha256: w.request.importTokenSha256 },
    hsmPublicKeySha256: sha256Hex(w.publicKey),
  });
  await noteDoneElsewhere(ctx, w, requestPath);
  try {
    lines.push(await recordStep(ctx, 'kms-import', () => kmsImport.run(ctx)));
  } catch (e) {
    if (e instanceof RestartFrom) throw tokenRefused(e, SPLIT_AGAIN);
    throw e;
  }
  lines.push(await recordStep(ctx, 'verify', () => verifyBothWays(ctx, w)));
  lines.push(await recordStep(ctx, 'evidence', async () => writeEvidence(ctx, w, requestPath)));
  return { lines, keyArn: key.arn, fingerprint: sha256Hex(w.publicKey), transcript: ctx.paths.transcript };
}
