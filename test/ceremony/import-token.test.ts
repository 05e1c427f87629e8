/**
 * Import tokens KMS refuses are replaced: an expired token (the local KMS's clock moved past ParametersValidTo)
 * and a token issued for another KMS key both send the ceremony back for new parameters, a new wrap and a new
 * import, whether the refusal comes in the same run or after a crash and a re-run. A KMS that refuses every token
 * ends the run with a typed one-line error, and the next run finishes.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultConfig, type CeremonyConfig } from '../../src/ceremony/config.js';
import { CeremonyError } from '../../src/ceremony/errors.js';
import type { CeremonyEvent } from '../../src/ceremony/events.js';
import { runCeremony } from '../../src/ceremony/runner.js';
import { sha256Hex } from '../../src/crypto/digest.js';
import { assertCeremonyDone, FACTORY_PASSWORD, HttpTargets, runCli, Sandbox } from './harness.js';

const sandbox = new Sandbox('hsm2kms-token-');
after(() => sandbox.close());
/**
 * Tokens live 11 minutes here (past the ceremony's 10-minute reuse margin, so it trusts them) and the KMS clock jumps
 * 12 minutes ahead to expire them: within the 15 minutes of clock skew SigV4 allows.
 */
const TOKEN_LIFETIME_MS = 11 * 60_000;
const AHEAD_MS = 12 * 60_000;

function configFor(targets: HttpTargets, dir: string): CeremonyConfig {
  const c = defaultConfig();
  c.hsm.target = { kind: 'connector', url: targets.connector.url };
  c.kms.target = { kind: 'endpoint', url: targets.kmsServer.url };
  c.workDir = join(dir, '.hsm2kms');
  c.outDir = join(dir, 'hsm2kms-out');
  return c;
}

/** In-process runs read the SDK's credentials from process.env (this test file runs in its own process). */
function useKmsCredentials(targets: HttpTargets): NodeJS.ProcessEnv {
  Object.assign(process.env, sandbox.env(targets.kmsEnv()));
  return process.env;
}

async function checkDone(targets: HttpTargets): Promise<void> {
  const { session, close } = await targets.session();
  try {
    await assertCeremonyDone(targets.kms, session, { keySpec: 'ECC_NIST_P256' });
  } finally {
    await close();
  }
}

describe('import tokens KMS refuses are replaced', () => {
  it('a token that expires between wrap and import: new parameters, new wrap, import succeeds in the same run', async () => {
    const targets = await HttpTargets.start(sandbox, { tokenLifetimeMs: TOKEN_LIFETIME_MS });
    try {
      const env = useKmsCredentials(targets);
      const events: CeremonyEvent[] = [];
      let expired = 0;
      const result = await runCeremony({
        config: configFor(targets, sandbox.dir('same-run')),
        env,
        password: new TextEncoder().encode(FACTORY_PASSWORD),
        onEvent: (e) => events.push(e),
        checkpoint: (name) => {
          if (name === 'kms-import:before-import' && expired++ === 0) targets.setKmsClockOffset(AHEAD_MS);
          if (name === 'kms-import-params:start') targets.setKmsClockOffset(0);
        },
      });
      assert.equal(result.ok, true);
      assert.equal(expired, 2, 'the import was tried twice');
      const notes = events.filter((e) => e.type === 'note' && e.step !== 'preflight');
      assert.deepEqual(notes.map((n) => n.type === 'note' && n.message), ['the import token was refused (ExpiredImportTokenException); fetching new parameters and wrapping again']);
      const paramsRuns = events.filter((e) => e.type === 'step-done' && e.step === 'kms-import-params');
      assert.equal(paramsRuns.length, 2, 'parameters fetched twice');
      await checkDone(targets);
    } finally {
      await targets.close();
    }
  });

  it('killed before the import, the token expires meanwhile: the re-run replaces it and finishes', async () => {
    const targets = await HttpTargets.start(sandbox, { tokenLifetimeMs: TOKEN_LIFETIME_MS });
    try {
      const dir = sandbox.dir('after-crash');
      const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
      const killed = await runCli(['import', ...targets.args()], { cwd: dir, env: { ...env, HSM2KMS_TEST_CRASH_AT: 'kms-import:before-import' } });
      assert.equal(killed.signal, 'SIGKILL');
      const firstToken = JSON.parse(readFileSync(join(dir, '.hsm2kms', 'journal.json'), 'utf8')).facts.importParams.importTokenSha256;
      targets.setKmsClockOffset(AHEAD_MS);
      const r = await runCli(['import', ...targets.args()], { cwd: dir, env });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^ {6}note: the import token was refused \(ExpiredImportTokenException\); fetching new parameters and wrapping again$/m);
      const transcript = JSON.parse(readFileSync(join(dir, 'hsm2kms-out', 'transcript.json'), 'utf8'));
      assert.notEqual(transcript.kms.importTokenSha256, firstToken, 'the transcript records the new token');
      await checkDone(targets);
    } finally {
      await targets.close();
    }
  });

  it('a saved token issued for another KMS key (InvalidImportTokenException) is replaced on the re-run', async () => {
    const targets = await HttpTargets.start(sandbox, { tokenLifetimeMs: TOKEN_LIFETIME_MS });
    try {
      const dir = sandbox.dir('invalid');
      const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
      const killed = await runCli(['import', ...targets.args()], { cwd: dir, env: { ...env, HSM2KMS_TEST_CRASH_AT: 'kms-import:before-import' } });
      assert.equal(killed.signal, 'SIGKILL');
      // Swap in a genuine token of this KMS, issued for another key, consistently in the bundle and the journal.
      const other = await targets.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL' });
      const foreign = await targets.kms.getParametersForImport({ keyId: other.arn, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_4096' });
      const bundlePath = join(dir, '.hsm2kms', 'import-parameters.json');
      const bundle = JSON.parse(readFileSync(bundlePath, 'utf8'));
      bundle.importToken = { base64: Buffer.from(foreign.importToken).toString('base64'), sha256: sha256Hex(foreign.importToken) };
      writeFileSync(bundlePath, JSON.stringify(bundle, null, 2) + '\n', { mode: 0o600 });
      const journalPath = join(dir, '.hsm2kms', 'journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
      journal.facts.importParams.importTokenSha256 = sha256Hex(foreign.importToken);
      writeFileSync(journalPath, JSON.stringify(journal, null, 2) + '\n', { mode: 0o600 });

      const r = await runCli(['import', ...targets.args()], { cwd: dir, env });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^ {6}note: the import token was refused \(InvalidImportTokenException\); fetching new parameters and wrapping again$/m);
      await targets.kms.scheduleKeyDeletion(other.keyId, 7);
      await checkDone(targets);
    } finally {
      await targets.close();
    }
  });

  it('a KMS that refuses every token: a typed one-line error after three new tokens, and the next run finishes', async () => {
    const targets = await HttpTargets.start(sandbox, { tokenLifetimeMs: TOKEN_LIFETIME_MS });
    try {
      const env = useKmsCredentials(targets);
      const dir = sandbox.dir('always');
      let imports = 0;
      await assert.rejects(
        runCeremony({
          config: configFor(targets, dir),
          env,
          password: new TextEncoder().encode(FACTORY_PASSWORD),
          checkpoint: (name) => {
            if (name === 'kms-import:before-import') {
              imports++;
              targets.setKmsClockOffset(AHEAD_MS);
            }
            if (name === 'kms-import-params:start') targets.setKmsClockOffset(0);
          },
        }),
        (e: unknown) => {
          assert.ok(e instanceof CeremonyError);
          assert.equal(e.code, 'KMS_IMPORT_TOKEN_REFUSED');
          assert.equal(e.message, 'KMS refused 4 import tokens in a row, each fetched just before use; check the KMS endpoint and its clock, then re-run the same command.');
          return true;
        },
      );
      assert.equal(imports, 4);
      const journal = JSON.parse(readFileSync(join(dir, '.hsm2kms', 'journal.json'), 'utf8'));
      assert.equal(journal.steps['kms-import'].status, 'failed');
      assert.equal(journal.steps['kms-import'].error.code, 'KMS_IMPORT_TOKEN_REFUSED');
      targets.setKmsClockOffset(0);
      const result = await runCeremony({ config: configFor(targets, dir), env, password: new TextEncoder().encode(FACTORY_PASSWORD) });
      assert.equal(result.ok, true);
      await checkDone(targets);
    } finally {
      await targets.close();
    }
  });
});
