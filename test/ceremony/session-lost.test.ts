/** A lost HSM session in a command says to run the command again, not the library's "open a new session". */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { HsmSessionLostError } from '../../src/client/errors.js';
import { CeremonyError, sessionLostAsRerun } from '../../src/ceremony/errors.js';

it('turns HSM_SESSION_LOST into the command\'s advice, keeping what happened; other errors pass through', () => {
  const lost = new HsmSessionLostError(0x46, 'transport', 'unknown',
    'Session 3 with auth key 0x0001 is gone: the transport failed (ECONNRESET). GenerateAsymmetricKey may or may not have run on the device',
    "open a new session (or open sessions with reopen: 'idempotent' to reopen automatically for reads and signs)");
  const e = sessionLostAsRerun(lost);
  assert.ok(e instanceof CeremonyError);
  assert.equal(e.code, 'HSM_SESSION_LOST');
  assert.equal(e.message, 'Session 3 with auth key 0x0001 is gone: the transport failed (ECONNRESET). GenerateAsymmetricKey may or may not have run on the device; run the same command again once the HSM is reachable (every step re-checks the HSM and KMS before acting).');
  assert.equal(e.cause, lost);
  const other = new Error('x');
  assert.equal(sessionLostAsRerun(other), other);
});
