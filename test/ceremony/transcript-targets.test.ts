/**
 * `hsm2kms transcript verify` says what a transcript's ceremony ran on: a rehearsal on the simulator is reported as
 * SIMULATED (also in the summary line and --json), and a transcript edited to hide that, while its attestation chain
 * still comes from the software YubiHSM 2's test CA, fails.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { defaultConfig } from '../../src/ceremony/config.js';
import { runCeremony } from '../../src/ceremony/runner.js';
import { verifyTranscriptText } from '../../src/ceremony/verify-transcript.js';
import { runCli, Sandbox } from './harness.js';

const sandbox = new Sandbox('hsm2kms-transcript-targets-');
let dir: string;
let text: string;

before(async () => {
  dir = sandbox.dir('rehearsal');
  const config = defaultConfig();
  config.workDir = join(dir, '.hsm2kms');
  config.outDir = join(dir, 'out');
  await runCeremony({ config, env: sandbox.env() });
  text = readFileSync(join(dir, 'out', 'transcript.json'), 'utf8');
});
after(() => sandbox.close());

it('a rehearsal is verified and reported as simulated', async () => {
  const r = verifyTranscriptText(text);
  assert.equal(r.ok, true);
  assert.equal(r.simulated, true);
  const targets = r.checks.find((c) => c.name === 'targets');
  assert.deepEqual(targets, { name: 'targets', status: 'ok', detail: 'SIMULATED (a rehearsal, not a real import): HSM: embedded software YubiHSM 2 (simulator, in-process); KMS: embedded local KMS (in-process, not AWS)' });
  const cli = await runCli(['transcript', 'verify', join(dir, 'out', 'transcript.json')], { cwd: dir, env: sandbox.env() });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /^Transcript verified: \d+ checks passed, \d+ skipped\. It records a SIMULATED ceremony \(a rehearsal on a software YubiHSM 2 or a local KMS\), not a real import\.$/m);
});

it('a transcript that hides the simulator its attestation comes from fails', async () => {
  const t = JSON.parse(text);
  t.targets = { hsm: 'YubiHSM 2 via yubihsm-connector at http://127.0.0.1:12345', kms: 'AWS KMS in eu-west-1', simulated: false };
  const r = verifyTranscriptText(JSON.stringify(t));
  assert.equal(r.ok, false);
  assert.equal(r.simulated, false);
  assert.deepEqual(r.checks.find((c) => c.name === 'targets'), {
    name: 'targets', status: 'fail',
    detail: 'the device attestation certificate comes from the software YubiHSM 2\'s test CA, but the transcript does not say the ceremony ran on a simulator',
  });
  const edited = join(dir, 'out', 'edited.json');
  writeFileSync(edited, JSON.stringify(t));
  const cli = await runCli(['transcript', 'verify', edited, '--json'], { cwd: dir, env: sandbox.env() });
  assert.equal(cli.code, 3);
  const out = JSON.parse(cli.stdout);
  assert.equal(out.ok, false);
  assert.equal(out.simulated, false);
});
