/**
 * The other half of safe by default: a YubiHSM 2 that is not a simulator exports its key to no local KMS (the
 * embedded one, or an endpoint on this machine, which keeps imported material in a file) unless --allow-local-kms.
 * A "real" device is stood in for by the software device with an attestation chain from another CA (not the
 * simulator's test CA), as a real device's comes from Yubico's.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { createTestAttestationChain } from '../../src/crypto/attestation-cert.js';
import { rawFromPrivateKeyObject } from '../../src/crypto/keys.js';
import { certificateFromPem, certificateToPem } from '../../src/crypto/x509.js';
import { ObjectType } from '../../src/protocol/object-types.js';
import { TEST_ATTESTATION_INTERMEDIATE_PEM, TEST_ATTESTATION_ROOT_PEM } from '../../src/simulator/attestation.js';
import type { DeviceIdentity } from '../../src/simulator/state.js';
import { FACTORY_PASSWORD, HttpTargets, runCli, Sandbox } from '../ceremony/harness.js';

const sandbox = new Sandbox('hsm2kms-real-local-');
after(() => sandbox.close());

/**
 * Device options whose attestation a CA other than the simulator's issues (as Yubico's issues a real device's); the
 * chain it issued is kept in `chain` once the device has made its attestation.
 */
function otherCaDevice() {
  const holder: { chain?: ReturnType<typeof createTestAttestationChain>; device: { createAttestation(identity: DeviceIdentity): { algorithm: number; material: Uint8Array; certificate: Uint8Array } } } = {
    device: {
      createAttestation(identity) {
        const chain = createTestAttestationChain({ serialNumber: identity.serial, firmwareVersion: [2, 4, 0] });
        holder.chain = chain;
        const raw = rawFromPrivateKeyObject(chain.device.privateKey);
        return { algorithm: raw.algorithm, material: raw.material, certificate: chain.device.certificate };
      },
    },
  };
  return holder;
}

it('import: a real-looking HSM and a local KMS are refused before anything changes, and run with --allow-local-kms', { timeout: 180_000 }, async () => {
  const targets = await HttpTargets.start(sandbox, { device: otherCaDevice().device });
  try {
    const dir = sandbox.dir('real');
    const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
    const refused = await runCli(['import', ...targets.args()], { cwd: dir, env });
    assert.equal(refused.code, 4, refused.stderr);
    assert.equal(refused.stderr.trim(), `hsm2kms import: Refusing to export the key from YubiHSM 2 via yubihsm-connector at ${targets.connector.url} (not a simulator) into KMS endpoint ${targets.kmsServer.url}, which would keep the key material in a file on this machine; name AWS with --kms aws, or pass --allow-local-kms to rehearse with a throw-away key on real hardware. [REAL_HSM_TO_LOCAL_KMS]`);
    const { session, close } = await targets.session();
    try {
      assert.deepEqual(await session.listObjects({ type: ObjectType.ASYMMETRIC_KEY }), [], 'nothing was generated');
    } finally {
      await close();
    }
    assert.deepEqual((await targets.kms.listKeys()).length, 0, 'no KMS key was created');

    const allowed = await runCli(['import', ...targets.args(), '--allow-local-kms'], { cwd: dir, env });
    assert.equal(allowed.code, 0, `${allowed.stdout}\n${allowed.stderr}`);
    assert.doesNotMatch(allowed.stdout, /SIMULATION/, 'not a simulator: no simulation notice');
    assert.match(allowed.stdout, /^Verified public key fingerprint \(SHA-256 of SubjectPublicKeyInfo\): [0-9a-f]{64}$/m);
  } finally {
    await targets.close();
  }
});

it('import --kms aws: an AWS_ENDPOINT_URL_KMS on this machine is named in the plan and refused for a real-looking HSM', { timeout: 180_000 }, async () => {
  const targets = await HttpTargets.start(sandbox, { device: otherCaDevice().device });
  try {
    const dir = sandbox.dir('env-endpoint');
    // The AWS SDK (and so --kms aws) follows AWS_ENDPOINT_URL_KMS: the requests would go to the local server.
    const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD, AWS_ENDPOINT_URL_KMS: targets.kmsServer.url });
    const args = ['import', '--connector', targets.connector.url, '--kms', 'aws'];
    const plan = await runCli([...args, '--dry-run'], { cwd: dir, env });
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, new RegExp(`^  KMS  KMS endpoint ${targets.kmsServer.url.replace(/[.]/g, '\\.')} \\(from AWS_ENDPOINT_URL_KMS, not AWS's own endpoint\\)$`, 'm'));
    const refused = await runCli(args, { cwd: dir, env });
    assert.equal(refused.code, 4, refused.stderr);
    assert.match(refused.stderr.trim(), /^hsm2kms import: Refusing to export the key from .* into KMS endpoint \S+ \(from AWS_ENDPOINT_URL_KMS, not AWS's own endpoint\), which would keep the key material in a file on this machine; unset AWS_ENDPOINT_URL_KMS to reach AWS KMS, or pass --allow-local-kms to rehearse with a throw-away key on real hardware\. \[REAL_HSM_TO_LOCAL_KMS\]$/);
    assert.deepEqual((await targets.kms.listKeys()).length, 0, 'no KMS key was created');
    // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true sends --kms aws to AWS itself: the plan says so (nothing is run).
    const ignored = await runCli([...args, '--dry-run'], { cwd: dir, env: { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' } });
    assert.match(ignored.stdout, /^  KMS  AWS KMS$/m);
  } finally {
    await targets.close();
  }
});

/** This machine's host name when it resolves to a loopback address (a name kmsIsLocal does not know), else undefined. */
async function loopbackHostName(): Promise<string | undefined> {
  const name = hostname();
  try {
    const { address } = await lookup(name, { family: 4 });
    return /^127\./.test(address) && !/^localhost$/i.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

it('import: a KMS endpoint known only by host name is taken as local once it answers as an hsm2kms local KMS server', { timeout: 180_000 }, async (t) => {
  const name = await loopbackHostName();
  if (!name) {
    t.skip('this machine\'s host name does not resolve to a loopback address');
    return;
  }
  const targets = await HttpTargets.start(sandbox, { device: otherCaDevice().device });
  try {
    const dir = sandbox.dir('by-answer');
    const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
    const url = targets.kmsServer.url.replace('127.0.0.1', name);
    const refused = await runCli(['import', '--connector', targets.connector.url, '--kms', url], { cwd: dir, env });
    assert.equal(refused.code, 4, refused.stderr);
    assert.equal(refused.stderr.trim(), `hsm2kms import: Refusing to export the key from YubiHSM 2 via yubihsm-connector at ${targets.connector.url} (not a simulator) into KMS endpoint ${url}, which answers as an hsm2kms local KMS server, which would keep the key material in a file on its host; name AWS with --kms aws, or pass --allow-local-kms to rehearse with a throw-away key on real hardware. [REAL_HSM_TO_LOCAL_KMS]`);
    assert.deepEqual((await targets.kms.listKeys()).length, 0, 'no KMS key was created');
    const { session, close } = await targets.session();
    try {
      assert.deepEqual(await session.listObjects({ type: ObjectType.ASYMMETRIC_KEY }), [], 'nothing was generated');
    } finally {
      await close();
    }
  } finally {
    await targets.close();
  }
});

it('air-gapped split: wrap and complete refuse a real-looking HSM\'s key for a local KMS unless --allow-local-kms', { timeout: 180_000 }, async () => {
  const targets = await HttpTargets.start(sandbox, { device: otherCaDevice().device });
  try {
    const dir = sandbox.dir('split');
    const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
    const kms = ['--kms', targets.kmsServer.url, '--work-dir', 'online'];
    const prepared = await runCli(['prepare', ...kms, 'request.json'], { cwd: dir, env });
    assert.equal(prepared.code, 0, prepared.stderr);
    assert.equal(JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8')).kms.local, true, 'the request says prepare used a local KMS');
    const wrapArgs = ['wrap', '--connector', targets.connector.url, '--work-dir', 'offline', 'request.json', 'wrapped-key.json'];
    const wrapRefused = await runCli(wrapArgs, { cwd: dir, env });
    assert.equal(wrapRefused.code, 4, `${wrapRefused.stdout}\n${wrapRefused.stderr}`);
    assert.match(wrapRefused.stderr.trim(), /^hsm2kms wrap: Refusing to export the key from YubiHSM 2 via yubihsm-connector at \S+ \(not a simulator\) into the local KMS hsm2kms prepare used \(KMS endpoint \S+\), which would keep the key material in a file on the machine hsm2kms prepare ran on; run hsm2kms prepare again with --kms aws and wrap its request, or pass --allow-local-kms to rehearse with a throw-away key on real hardware\. \[REAL_HSM_TO_LOCAL_KMS\]$/);
    assert.ok(!existsSync(join(dir, 'wrapped-key.json')), 'nothing was wrapped');
    const { session, close } = await targets.session();
    try {
      assert.deepEqual(await session.listObjects({ type: ObjectType.ASYMMETRIC_KEY }), [], 'no key was generated');
    } finally {
      await close();
    }
    const wrapped = await runCli([...wrapArgs, '--allow-local-kms'], { cwd: dir, env });
    assert.equal(wrapped.code, 0, `${wrapped.stdout}\n${wrapped.stderr}`);

    const refused = await runCli(['complete', ...kms, 'wrapped-key.json'], { cwd: dir, env });
    assert.equal(refused.code, 4, `${refused.stdout}\n${refused.stderr}`);
    assert.match(refused.stderr.trim(), /^hsm2kms complete: Refusing to export the key from wrapped-key\.json, which YubiHSM 2 via yubihsm-connector at .* wrapped \(not a simulator\), into KMS endpoint .*; name AWS with --kms aws, or pass --allow-local-kms to rehearse with a throw-away key on real hardware\. \[REAL_HSM_TO_LOCAL_KMS\]$/);
    const [key] = await targets.kms.listKeys();
    assert.equal((await targets.kms.describeKey(key.keyId)).keyState, 'PendingImport', 'no key material was imported');

    const allowed = await runCli(['complete', ...kms, 'wrapped-key.json', '--allow-local-kms'], { cwd: dir, env });
    assert.equal(allowed.code, 0, `${allowed.stdout}\n${allowed.stderr}`);
    assert.match(allowed.stdout, /^Verified public key fingerprint \(SHA-256 of SubjectPublicKeyInfo\): [0-9a-f]{64}$/m);
  } finally {
    await targets.close();
  }
});

it('import --attestation-ca on a real-looking HSM: anchored at its CA, the whole chain in the transcript; the simulator\'s CA refused', { timeout: 180_000 }, async () => {
  const ca = otherCaDevice();
  const targets = await HttpTargets.start(sandbox, { device: ca.device });
  try {
    const dir = sandbox.dir('anchored');
    const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
    writeFileSync(join(dir, 'simulator-ca.pem'), TEST_ATTESTATION_INTERMEDIATE_PEM + TEST_ATTESTATION_ROOT_PEM);
    const refused = await runCli(['import', ...targets.args(), '--allow-local-kms', '--attestation-ca', 'simulator-ca.pem'], { cwd: dir, env });
    assert.equal(refused.code, 4, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /\[HSM_NOT_ATTESTED\]$/m);
    const issued = ca.chain;
    assert.ok(issued, 'the device made its attestation');

    writeFileSync(join(dir, 'ca.pem'), certificateToPem(issued.intermediate.certificate) + certificateToPem(issued.root.certificate));
    const ok = await runCli(['import', ...targets.args(), '--allow-local-kms', '--attestation-ca', 'ca.pem'], { cwd: dir, env });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /device attestation anchored at the trusted root CN=Test YubiHSM Root CA, O=hsm2kms test through CN=Test YubiHSM Attestation Intermediate, O=hsm2kms test \(from --ca\); the key's attestation is checked against it/);
    assert.match(ok.stdout, /signed by the device attestation certificate, anchored at the trusted root CN=Test YubiHSM Root CA/);
    const transcript = JSON.parse(readFileSync(join(dir, 'hsm2kms-out', 'transcript.json'), 'utf8'));
    assert.deepEqual(transcript.hsm.attestation.chainPem.map((p: string) => Buffer.from(certificateFromPem(p)).toString('hex')),
      [issued.device.certificate, issued.intermediate.certificate, issued.root.certificate].map((d) => Buffer.from(d).toString('hex')),
      'device, intermediate, root');
    writeFileSync(join(dir, 'root.pem'), certificateToPem(issued.root.certificate));
    const verified = await runCli(['transcript', 'verify', join(dir, 'hsm2kms-out', 'transcript.json'), '--ca', 'root.pem'], { cwd: dir, env });
    assert.equal(verified.code, 0, verified.stdout);
    assert.match(verified.stdout, /^ok {4}attestation-root +anchored at the trusted root CN=Test YubiHSM Root CA, O=hsm2kms test$/m);
  } finally {
    await targets.close();
  }
});

it('complete --attestation-ca on a bundle a real-looking HSM wrapped without it: the transcript holds the whole chain', { timeout: 180_000 }, async () => {
  const ca = otherCaDevice();
  const targets = await HttpTargets.start(sandbox, { device: ca.device });
  try {
    const dir = sandbox.dir('complete-anchored');
    const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
    const kms = ['--kms', targets.kmsServer.url, '--work-dir', 'online'];
    const prepared = await runCli(['prepare', ...kms, 'request.json'], { cwd: dir, env });
    assert.equal(prepared.code, 0, prepared.stderr);
    const wrapped = await runCli(['wrap', '--connector', targets.connector.url, '--work-dir', 'offline', '--allow-local-kms', 'request.json', 'wrapped-key.json'], { cwd: dir, env });
    assert.equal(wrapped.code, 0, `${wrapped.stdout}\n${wrapped.stderr}`);
    const issued = ca.chain;
    assert.ok(issued, 'the device made its attestation');
    const hex = (d: Uint8Array) => Buffer.from(d).toString('hex');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'wrapped-key.json'), 'utf8')).attestation.chain.length, 1, 'wrap without --attestation-ca records the device certificate only');

    writeFileSync(join(dir, 'ca.pem'), certificateToPem(issued.intermediate.certificate) + certificateToPem(issued.root.certificate));
    const done = await runCli(['complete', ...kms, '--allow-local-kms', '--out', 'out', '--attestation-ca', 'ca.pem', 'wrapped-key.json'], { cwd: dir, env });
    assert.equal(done.code, 0, `${done.stdout}\n${done.stderr}`);
    assert.match(done.stdout, /signed by the device attestation certificate, anchored at the trusted root CN=Test YubiHSM Root CA, O=hsm2kms test through CN=Test YubiHSM Attestation Intermediate, O=hsm2kms test \(from --ca\)/);
    const transcriptPath = join('out', 'transcript.json');
    const transcript = JSON.parse(readFileSync(join(dir, transcriptPath), 'utf8'));
    assert.deepEqual(transcript.hsm.attestation.chainPem.map((p: string) => hex(certificateFromPem(p))),
      [issued.device.certificate, issued.intermediate.certificate, issued.root.certificate].map(hex), 'device, intermediate, root');
    assert.equal(readFileSync(join(dir, 'out', 'key0x100-attestation.pem'), 'utf8').match(/BEGIN CERTIFICATE/g)?.length, 4, 'the attestation file too');
    writeFileSync(join(dir, 'root.pem'), certificateToPem(issued.root.certificate));
    const verified = await runCli(['transcript', 'verify', join(dir, transcriptPath), '--ca', 'root.pem'], { cwd: dir, env });
    assert.equal(verified.code, 0, verified.stdout);
    assert.match(verified.stdout, /^ok {4}attestation-root +anchored at the trusted root CN=Test YubiHSM Root CA, O=hsm2kms test$/m);
  } finally {
    await targets.close();
  }
});
