/**
 * transcript verify --ca: the attestation chain must lead to a self-signed certificate the verifier trusts. A real
 * YubiHSM 2 holds only its device certificate, so the transcript's chain is that one certificate and Yubico's
 * intermediate and root come from --ca; here the simulator's test CA stands in for Yubico's, and openssl verify
 * decides the same way.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { defaultConfig } from '../../src/ceremony/config.js';
import { runCeremony } from '../../src/ceremony/runner.js';
import { verifyTranscriptText } from '../../src/ceremony/verify-transcript.js';
import { certificateFromPem } from '../../src/crypto/x509.js';
import { runCli, Sandbox } from './harness.js';

const sandbox = new Sandbox('hsm2kms-transcript-ca-');
let dir: string;
let transcript: ReturnType<typeof JSON.parse>;
let device: string;
let intermediate: string;
let root: string;

function openssl(args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: err.stdout + err.stderr };
  }
}

before(async () => {
  dir = sandbox.dir('ca');
  const config = defaultConfig();
  config.workDir = join(dir, '.hsm2kms');
  config.outDir = join(dir, 'out');
  await runCeremony({ config, env: sandbox.env() });
  transcript = JSON.parse(readFileSync(join(dir, 'out', 'transcript.json'), 'utf8'));
  [device, intermediate, root] = transcript.hsm.attestation.chainPem;
  assert.ok(device && intermediate && root, 'the embedded device records its chain: device, intermediate, root');
  writeFileSync(join(dir, 'device.pem'), device);
  writeFileSync(join(dir, 'intermediate.pem'), intermediate);
  writeFileSync(join(dir, 'root.pem'), root);
  writeFileSync(join(dir, 'bundle.pem'), intermediate + root);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'other.key', '-subj', '/CN=Some Other Root', '-days', '2', '-out', 'other.pem']);
});
after(() => sandbox.close());

const rootCheck = (t: unknown, cas?: string[]) =>
  verifyTranscriptText(JSON.stringify(t), { trustedCas: cas?.map((p) => certificateFromPem(p)) }).checks.find((c) => c.name === 'attestation-root');

it('without --ca the root check is skipped and says why', () => {
  assert.deepEqual(rootCheck(transcript), {
    name: 'attestation-root', status: 'skip',
    detail: 'no trust anchor given: the chain is linked but not anchored (give the attestation root CA, e.g. Yubico\'s, with --ca FILE)',
  });
});

it('the full recorded chain against its root, and against another root', () => {
  assert.deepEqual(rootCheck(transcript, [root]), { name: 'attestation-root', status: 'ok', detail: 'anchored at the trusted root CN=Test YubiHSM Root CA, O=hsm2kms test' });
  const other = readFileSync(join(dir, 'other.pem'), 'utf8');
  assert.deepEqual(rootCheck(transcript, [other]), {
    name: 'attestation-root', status: 'fail',
    detail: 'the chain does not lead to a trusted root: it ends at the self-signed CN=Test YubiHSM Root CA, O=hsm2kms test, which is not in --ca',
  });
});

it('a real device\'s shape (its device certificate only): anchored through the intermediate of --ca, as openssl verify says', () => {
  const real = structuredClone(transcript);
  real.hsm.attestation.chainPem = [device];
  assert.deepEqual(rootCheck(real, [intermediate, root]), {
    name: 'attestation-root', status: 'ok', detail: 'anchored at the trusted root CN=Test YubiHSM Root CA, O=hsm2kms test through CN=Test YubiHSM Attestation Intermediate, O=hsm2kms test (from --ca)',
  });
  assert.equal(openssl(['verify', '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', 'device.pem']).code, 0);

  // The intermediate alone is no anchor (not self-signed); openssl refuses it too.
  assert.deepEqual(rootCheck(real, [intermediate]), {
    name: 'attestation-root', status: 'fail',
    detail: 'the chain does not lead to a trusted root: it stops at CN=Test YubiHSM Attestation Intermediate, O=hsm2kms test, whose issuer CN=Test YubiHSM Root CA, O=hsm2kms test is not in --ca',
  });
  assert.notEqual(openssl(['verify', '-CAfile', 'intermediate.pem', 'device.pem']).code, 0);
  // The root alone does not sign the device certificate.
  assert.equal(rootCheck(real, [root])?.status, 'fail');
  assert.notEqual(openssl(['verify', '-CAfile', 'root.pem', 'device.pem']).code, 0);
});

it('hsm2kms transcript verify --ca: exit 0 anchored, 3 not, 2 for a CA file that cannot be used', async () => {
  const file = join(dir, 'out', 'transcript.json');
  const good = await runCli(['transcript', 'verify', file, '--ca', 'bundle.pem'], { cwd: dir, env: sandbox.env() });
  assert.equal(good.code, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /^ok {4}attestation-root +anchored at the trusted root CN=Test YubiHSM Root CA, O=hsm2kms test$/m);
  const bad = await runCli(['transcript', 'verify', file, '--ca', 'other.pem'], { cwd: dir, env: sandbox.env() });
  assert.equal(bad.code, 3);
  assert.match(bad.stdout, /^FAIL {2}attestation-root +the chain does not lead to a trusted root/m);
  const missing = await runCli(['transcript', 'verify', file, '--ca', 'nope.pem'], { cwd: dir, env: sandbox.env() });
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.trim(), 'hsm2kms transcript verify: Cannot read the CA file nope.pem (ENOENT); check the path. [CA_FILE_UNREADABLE]');
  writeFileSync(join(dir, 'not-pem.txt'), 'hello\n');
  const notPem = await runCli(['transcript', 'verify', file, '--ca', 'not-pem.txt'], { cwd: dir, env: sandbox.env() });
  assert.equal(notPem.code, 2);
  assert.match(notPem.stderr.trim(), /^hsm2kms transcript verify: The CA file not-pem\.txt holds no valid PEM certificate \(.*\); give the attestation root CA certificates as PEM\. \[CA_FILE_INVALID\]$/);
});

it('--ca and an asymmetric key\'s transcript without its attestation: the root check fails, not skipped', () => {
  const stripped = structuredClone(transcript);
  delete stripped.hsm.attestation;
  const result = verifyTranscriptText(JSON.stringify(stripped), { trustedCas: [certificateFromPem(root)] });
  assert.deepEqual(result.checks.find((c) => c.name === 'attestation-root'), {
    name: 'attestation-root', status: 'fail', detail: 'no attestation recorded to anchor',
  });
  assert.equal(result.ok, false);
  // Without --ca nothing was asked to be anchored: the missing attestation stays a skip.
  assert.equal(verifyTranscriptText(JSON.stringify(stripped), {}).checks.some((c) => c.name === 'attestation-root'), false);
});
