/**
 * `hsm2kms wrap`, the offline part of the air-gapped split, next to the HSM and away from any network: takes the
 * import request of `prepare` (or the console's Import_Parameters_<key id>.zip as it is), generates the key (or
 * reuses it), exports its public key and attestation, loads the KMS wrapping key, wraps, deletes the wrap key,
 * signs the request's message with the HSM key (KMS Verify checks it in `complete`: the HSM side of "verify both
 * ways", since the HSM is not reachable then), and writes the hash-pinned wrapped-key bundle. Every HSM action is
 * the ceremony's own step, so running it again finishes an interrupted run without a second key.
 */
import { sha256Hex } from '../../crypto/digest.js';
import type { ImportParameters } from '../../kms/client/port.js';
import { capabilities } from '../../protocol/capabilities.js';
import { formatId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import type { CeremonyContext } from '../context.js';
import { CeremonyError } from '../errors.js';
import { checkWrappingCombination, keySpecs } from '../key-specs.js';
import { adoptWrapping } from '../manual/kms-steps.js';
import { ensureHsmKey, requireExportFirmware } from '../manual/hsm-key.js';
import { recordStep } from '../manual/open.js';
import { realHsmDescription, refuseRealHsmToLocalKms } from '../simulated.js';
import { isSimulatorDeviceCertificate } from '../simulator-ca.js';
import { cleanup } from '../steps/cleanup.js';
import { entriesSince } from '../steps/evidence.js';
import { hsmAttest } from '../steps/hsm-attest.js';
import { checkAuthKey } from '../steps/hsm-checks.js';
import { findObject, readDeviceCertificate } from '../steps/hsm-objects.js';
import { checkGenuineDevice } from '../steps/hsm-genuine.js';
import { inspectWrapKeySlot, wrapKeyTaken } from '../steps/wrap-key.js';
import { hsmPublicKey } from '../steps/hsm-public-key.js';
import { loadWrapKey } from '../steps/hsm-put-wrap-key.js';
import { hsmWrap } from '../steps/hsm-wrap.js';
import { hsmSign } from '../steps/verify.js';
import { describeLogEntry, describeObject } from '../transcript.js';
import { readRequestOrZip, type LoadedRequest } from './request.js';
import { encodeWrapped, type WrapStepRecord, type WrappedKeyBundle } from './wrapped.js';
import { checkOutputReplaceable, writeOutput } from '../steps/outputs.js';

export interface WrapOptions {
  requestPath: string;
  outPath: string;
  useExistingKey: boolean;
  /** The user named --key-spec (must then agree with the request). */
  explicitSpec: boolean;
  /** The SHA-256 of the wrapping public key prepare printed (hex); any other wrapping key is refused. */
  expectWrappingKeySha256?: string;
  /** Wrap a real YubiHSM 2's key for a local KMS (the request says prepare used one); refused by default. */
  allowLocalKms?: boolean;
}

export interface WrapResult {
  lines: string[];
  bundle: WrappedKeyBundle;
}

/** Applies what the request decides (key spec, usage, wrapping) to the configuration; returns the message. */
function applyRequest(ctx: CeremonyContext, loaded: LoadedRequest, o: WrapOptions): { params: ImportParameters; message: Uint8Array } {
  const c = ctx.config;
  if (loaded.source === 'request') {
    const r = loaded.request;
    if (o.explicitSpec && c.key.keySpec !== r.keySpec) {
      throw new CeremonyError('REQUEST_SPEC_MISMATCH', `${o.requestPath} asks for a ${r.keySpec} key (the KMS key's spec), not ${c.key.keySpec}; drop --key-spec.`, { preflight: true });
    }
    c.key.keySpec = r.keySpec;
    c.key.usage = r.keyUsage;
    adoptWrapping(ctx, r.params.wrappingAlgorithm, r.params.wrappingKeySpec, o.requestPath);
    return { params: r.params, message: r.message };
  }
  adoptWrapping(ctx, c.kms.wrappingAlgorithm, loaded.wrappingKeySpec, o.requestPath);
  const params: ImportParameters = {
    keyArn: '', wrappingAlgorithm: c.kms.wrappingAlgorithm, wrappingKeySpec: c.kms.wrappingKeySpec,
    wrappingPublicKey: loaded.wrappingPublicKey, importToken: loaded.importToken, parametersValidTo: new Date(8.64e15),
  };
  return { params, message: new TextEncoder().encode(c.message) };
}

/**
 * The HSM half of pre-flight: firmware, the auth key's capabilities and domains, the wrap key id, the device's
 * attestation (--attestation-ca), and a real HSM's key for a local KMS (refused unless allowed). Changes nothing.
 */
async function hsmPreflight(ctx: CeremonyContext, loaded: LoadedRequest, o: WrapOptions): Promise<string> {
  requireExportFirmware(ctx);
  const c = ctx.config;
  const existing = await findObject(ctx.session, keySpecs[c.key.keySpec].objectType, c.key.id);
  checkAuthKey(c, ctx.state.authKey!, { generate: !existing });
  const wrap = await inspectWrapKeySlot(ctx);
  if (wrap.kind === 'foreign') throw wrapKeyTaken(ctx, wrap.info);
  const forLocalKms = loaded.source === 'request' && loaded.request.kmsLocal === true && c.hsm.target.kind !== 'embedded';
  const device = c.hsm.attestationCa !== undefined || forLocalKms ? await readDeviceCertificate(ctx.session, ctx.state.authKey) : undefined;
  const genuine = checkGenuineDevice(ctx, device);
  if (forLocalKms && (!device || !isSimulatorDeviceCertificate(device))) {
    // The key would leave the HSM wrapped for a KMS whose private wrapping key sits in a file on prepare's machine.
    refuseRealHsmToLocalKms({
      local: true,
      description: `the local KMS hsm2kms prepare used (${loaded.request.kmsTarget})`,
      where: 'on the machine hsm2kms prepare ran on',
      remedy: 'run hsm2kms prepare again with --kms aws and wrap its request',
    }, o.allowLocalKms ?? false, realHsmDescription(ctx.run.targets.hsm, c.hsm.authKeyId, device));
  }
  return `firmware ${ctx.state.firmware}; serial ${ctx.state.serial}; auth key ${formatId(c.hsm.authKeyId)} ok${genuine ? `; ${genuine}` : ''}`;
}

async function auditPosition(ctx: CeremonyContext): Promise<number | undefined> {
  if (!(ctx.state.authKey!.capabilities & capabilities('get-log-entries'))) return undefined;
  return (await ctx.session.getLogEntries()).entries.at(-1)?.number;
}

async function auditSince(ctx: CeremonyContext, since: number | undefined): Promise<WrappedKeyBundle['auditLog']> {
  if (!(ctx.state.authKey!.capabilities & capabilities('get-log-entries'))) return { entries: [], chainVerified: false };
  const log = await ctx.session.getAuditLog();
  return { entries: entriesSince(log.entries, since).map(describeLogEntry), chainVerified: true };
}

export async function runWrap(ctx: CeremonyContext, o: WrapOptions): Promise<WrapResult> {
  const lines: string[] = [];
  const loaded = readRequestOrZip(o.requestPath);
  const { params, message } = applyRequest(ctx, loaded, o);
  const c = ctx.config;
  if (keySpecs[c.key.keySpec].objectType === ObjectType.SYMMETRIC_KEY) {
    throw new CeremonyError('AIR_GAP_SYMMETRIC', 'A symmetric key cannot be checked against KMS without the HSM online; import it with hsm2kms import, with the HSM and KMS both reachable.', { preflight: true });
  }
  checkWrappingCombination(c.key.keySpec, c.kms.wrappingAlgorithm, c.kms.wrappingKeySpec);
  ctx.state.params = params;
  if (params.parametersValidTo.getTime() <= ctx.now().getTime()) {
    lines.push(`note: by this machine's clock the import token expired at ${params.parametersValidTo.toISOString()}; unless this clock is wrong, complete will refuse it, so run hsm2kms prepare again`);
  }

  // The request travelled on removable media, and the HSM exports the key to whoever holds the private half of its
  // wrapping key: with the fingerprint prepare printed, carried apart from the request, anything else is refused.
  const fingerprint = sha256Hex(params.wrappingPublicKey);
  if (o.expectWrappingKeySha256 !== undefined && o.expectWrappingKeySha256.toLowerCase() !== fingerprint) {
    throw new CeremonyError('WRAPPING_KEY_NOT_EXPECTED', `The wrapping public key in ${o.requestPath} has SHA-256 ${fingerprint}, not ${o.expectWrappingKeySha256}; do not wrap the key for it: get the request hsm2kms prepare wrote (and printed that fingerprint for) again.`, { preflight: true });
  }
  lines.push(`wrapping public key SHA-256 ${fingerprint}${o.expectWrappingKeySha256 !== undefined ? ', as expected' : ' (compare it with what hsm2kms prepare printed, or give it with --wrapping-key-sha256)'}`);
  checkOutputReplaceable(ctx, o.outPath, { preflight: true }); // before the HSM is touched
  const auditStart = await auditPosition(ctx);
  lines.push(await recordStep(ctx, 'preflight', () => hsmPreflight(ctx, loaded, o)));
  lines.push(await recordStep(ctx, 'hsm-generate-key', () => ensureHsmKey(ctx, {
    useExisting: o.useExistingKey,
    explicitSpec: true,
    hint: 'choose another --key-id, or pass --use-existing-key to wrap that key for KMS.',
  })));
  lines.push(await recordStep(ctx, 'hsm-public-key', () => hsmPublicKey.run(ctx)));
  lines.push(await recordStep(ctx, 'hsm-attest', () => hsmAttest.run(ctx)));
  lines.push(await recordStep(ctx, 'hsm-put-wrap-key', () => loadWrapKey(ctx)));
  lines.push(await recordStep(ctx, 'hsm-wrap', () => hsmWrap.run(ctx)));
  const hsmSignature = c.key.usage === 'SIGN_VERIFY' ? await hsmSign(ctx, message) : undefined;
  if (hsmSignature) lines.push(`the HSM signed the request's message (${message.length} bytes, ${hsmSignature.signingAlgorithm}) for KMS Verify in complete`);
  lines.push(await recordStep(ctx, 'cleanup', () => cleanup.run(ctx)));
  const auditLog = await auditSince(ctx, auditStart);

  const s = ctx.state;
  const steps: WrapStepRecord[] = (['preflight', 'hsm-generate-key', 'hsm-public-key', 'hsm-attest', 'hsm-put-wrap-key', 'hsm-wrap', 'cleanup'] as const).map((name) => {
    const rec = ctx.journal.step(name);
    return { name, status: rec.status, outcome: rec.outcome, startedAt: rec.startedAt, finishedAt: rec.finishedAt, ms: s.stepTimes[name]?.ms, attempts: rec.attempts };
  });
  const r = loaded.source === 'request' ? loaded.request : undefined;
  const bundle: WrappedKeyBundle = {
    createdAt: ctx.now(),
    request: {
      source: loaded.source === 'request' ? 'hsm2kms-import-request' : 'console-zip',
      fileSha256: loaded.fileSha256,
      ceremonyId: r?.ceremonyId,
      keyArn: r?.params.keyArn,
      keyId: loaded.source === 'console-zip' ? loaded.keyId : undefined,
      wrappingAlgorithm: c.kms.wrappingAlgorithm,
      wrappingKeySpec: c.kms.wrappingKeySpec,
      parametersValidTo: r?.params.parametersValidTo,
      wrappingPublicKeySha256: sha256Hex(params.wrappingPublicKey),
      importTokenSha256: sha256Hex(params.importToken),
    },
    key: { keySpec: c.key.keySpec, keyUsage: c.key.usage },
    hsm: {
      target: ctx.run.targets.hsm,
      simulated: ctx.run.targets.simulated,
      firmware: s.firmware!,
      serial: s.serial!,
      authKey: s.authKey && describeObject(s.authKey),
      key: describeObject(s.key!),
      wrapKey: s.wrapKey && describeObject(s.wrapKey),
    },
    wrappedKey: s.wrapped!,
    publicKey: s.publicKeySpki!,
    attestation: s.attestation!,
    message,
    hsmSignature,
    auditLog,
    steps,
  };
  writeOutput(ctx, o.outPath, encodeWrapped(bundle), 0o600);
  lines.push(
    `${o.outPath}: the wrapped key, public key (SHA-256 ${sha256Hex(bundle.publicKey)}), attestation and HSM signature, each with its SHA-256; carry it to the online machine for hsm2kms complete`,
  );
  return { lines, bundle };
}
