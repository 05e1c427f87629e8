/** Ceremony errors: a stable code and a message that says what to do. Pre-flight failures change nothing. */
import { HsmSessionLostError } from '../client/errors.js';
import { Hsm2KmsError } from '../errors.js';

export class CeremonyError extends Hsm2KmsError {
  readonly side = 'ceremony' as const;
  /** True when raised by pre-flight: nothing was changed. */
  readonly preflight: boolean;
  constructor(code: string, message: string, options?: { cause?: unknown; preflight?: boolean }) {
    super(code, message, options);
    this.preflight = options?.preflight ?? false;
  }
}

/** A verification did not hold (public keys differ, a signature fails). */
export class VerificationError extends CeremonyError {}

/** Thrown by a step to send the runner back to an earlier step (e.g. an expired import token). */
export class RestartFrom extends Error {
  constructor(
    readonly step: 'kms-import-params',
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * A lost HSM session (device reset or unplugged, connector restarted, session timed out) in a command: the library's
 * advice (open a new session) becomes the command's (run it again; every step re-checks the HSM and KMS first).
 */
export function sessionLostAsRerun(e: unknown): unknown {
  if (!(e instanceof HsmSessionLostError)) return e;
  return new CeremonyError('HSM_SESSION_LOST', `${e.happened}; run the same command again once the HSM is reachable (every step re-checks the HSM and KMS before acting).`, { cause: e });
}
