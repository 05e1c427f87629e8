/**
 * Safe by default: key material from a software YubiHSM 2 (a simulator, whose keys sit in a plain file) never goes
 * to AWS or a KMS endpoint off this machine unless the user asks for it (`--allow-simulated-hsm`). A simulator is
 * recognised by what it is named (the embedded target) or by what it shows: a device attestation certificate
 * issued by the simulator's test CA (`hsm2kms hsm serve` behind --connector, or a wrapped bundle made on one).
 */
import type { CeremonyConfig } from './config.js';
import { CeremonyError } from './errors.js';
import { describeKmsTarget } from './plan.js';

/** True for a KMS that stays on this machine: the embedded one, or an endpoint on a loopback address. */
export function kmsIsLocal(t: CeremonyConfig['kms']['target']): boolean {
  if (t.kind === 'embedded') return true;
  if (t.kind === 'aws') return false;
  const host = new URL(t.url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Refuses (as pre-flight: nothing was changed) to send key material from a simulator described by `source` to a KMS
 * that is not local, unless allowed. `remedy` says how to use a real YubiHSM in the command at hand.
 */
export function refuseSimulatedToRealKms(kms: CeremonyConfig['kms']['target'], allowSimulatedHsm: boolean, source: string, remedy: string): void {
  if (kmsIsLocal(kms) || allowSimulatedHsm) return;
  throw new CeremonyError(
    'SIMULATED_HSM_TO_REAL_KMS',
    `Refusing to import a key from ${source} into ${describeKmsTarget(kms)}; ${remedy}, or pass --allow-simulated-hsm for a throw-away rehearsal key.`,
    { preflight: true },
  );
}
