/**
 * Safe by default: key material from a software YubiHSM 2 (a simulator, whose keys sit in a plain file) never goes
 * to AWS or a KMS endpoint off this machine unless the user asks for it (`--allow-simulated-hsm`). A simulator is
 * recognised by what it is named (the embedded target) or by what it shows: a device attestation certificate
 * issued by the simulator's test CA (`hsm2kms hsm serve` behind --connector, or a wrapped bundle made on one).
 */
import { formatId } from '../protocol/ids.js';
import type { CeremonyConfig } from './config.js';
import { CeremonyError } from './errors.js';
import { describeKmsTarget } from './plan.js';

/** True for a KMS that stays on this machine: the embedded one, or an endpoint on a loopback address. */
export function kmsIsLocal(t: CeremonyConfig['kms']['target']): boolean {
  if (t.kind === 'embedded') return true;
  const url = t.kind === 'aws' ? t.endpoint?.url : t.url;
  if (url === undefined) return false;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  // 0.0.0.0 and :: reach this machine too; ::ffff:7f00:1 is 127.0.0.1 written as IPv6 (the URL parser's form).
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0' || host === '::'
    || /^127\.\d+\.\d+\.\d+$/.test(host) || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}

/**
 * A KMS endpoint URL off this machine (from --kms or an AWS_ENDPOINT_URL* variable): it may be an hsm2kms local KMS
 * server, which only its answers tell (LOCAL_KMS_HEADER). AWS's own endpoints and loopback ones are known beforehand.
 */
export function kmsKnownOnlyByAnswer(t: CeremonyConfig['kms']['target']): boolean {
  return (t.kind === 'endpoint' || (t.kind === 'aws' && t.endpoint !== undefined)) && !kmsIsLocal(t);
}

/**
 * How a refusal names an HSM that is not a simulator: `hsm` (the target's description) with why it is taken as real,
 * from its device attestation certificate (`device`) or for want of one.
 */
export function realHsmDescription(hsm: string, authKeyId: number, device: Uint8Array | undefined): string {
  return device
    ? `${hsm} (not a simulator)`
    : `${hsm} (taken as a real YubiHSM 2: auth key ${formatId(authKeyId)} cannot read its device attestation certificate, opaque 0x0000, to tell)`;
}

/** A local KMS known only from a file (wrap's import request): what it was, where it keeps files, what to do instead. */
export interface RecordedLocalKms {
  local: true;
  description: string;
  /** e.g. `on the machine hsm2kms prepare ran on` */
  where: string;
  /** e.g. `run hsm2kms prepare again with --kms aws` */
  remedy: string;
}

/**
 * Refuses (as pre-flight: nothing was changed) to export a key from a real YubiHSM 2 into a local KMS (on a loopback
 * address, or `shownLocal`: one that answered as an hsm2kms local KMS server, wherever it runs), unless allowed: a local KMS (the embedded one or `hsm2kms kms serve`) keeps the imported key material, and the wrapping
 * key's private half, in files on this machine, so the key would no longer live only in hardware.
 */
export function refuseRealHsmToLocalKms(
  kms: CeremonyConfig['kms']['target'] | RecordedLocalKms, allowLocalKms: boolean, hsm: string, shownLocal = false,
): void {
  if (allowLocalKms || !('local' in kms ? kms.local : kmsIsLocal(kms) || shownLocal)) return;
  const remote = !('local' in kms) && !kmsIsLocal(kms);
  const [what, where, remedy] = 'local' in kms
    ? [kms.description, kms.where, kms.remedy]
    : [
      remote ? `${describeKmsTarget(kms)}, which answers as an hsm2kms local KMS server` : describeKmsTarget(kms),
      remote ? 'on its host' : 'on this machine',
      kms.kind === 'aws' && kms.endpoint ? `unset ${kms.endpoint.source} to reach AWS KMS` : 'name AWS with --kms aws',
    ];
  throw new CeremonyError(
    'REAL_HSM_TO_LOCAL_KMS',
    `Refusing to export the key from ${hsm} into ${what}, which would keep the key material in a file ${where}; ${remedy}, or pass --allow-local-kms to rehearse with a throw-away key on real hardware.`,
    { preflight: true },
  );
}

/**
 * Refuses (as pre-flight: nothing was changed) to send key material from a simulator described by `source` to a KMS
 * that is not local (`shownLocal`: it answered as an hsm2kms local KMS server, wherever it runs), unless allowed. `remedy` says how to use a real YubiHSM in the command at hand.
 */
export function refuseSimulatedToRealKms(
  kms: CeremonyConfig['kms']['target'], allowSimulatedHsm: boolean, source: string, remedy: string, shownLocal = false,
): void {
  if (kmsIsLocal(kms) || shownLocal || allowSimulatedHsm) return;
  throw new CeremonyError(
    'SIMULATED_HSM_TO_REAL_KMS',
    `Refusing to import a key from ${source} into ${describeKmsTarget(kms)}; ${remedy}, or pass --allow-simulated-hsm for a throw-away rehearsal key.`,
    { preflight: true },
  );
}
