/**
 * The other half of safe by default: a YubiHSM 2 that is not a simulator exports its key to no local KMS (the
 * embedded one, or an endpoint on this machine, which keeps imported material in a file) unless --allow-local-kms.
 * A "real" device is stood in for by the software device with an attestation chain from another CA (not the
 * simulator's test CA), as a real device's comes from Yubico's.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { createTestAttestationChain } from '../../src/crypto/attestation-cert.js';
import { rawFromPrivateKeyObject } from '../../src/crypto/keys.js';
import { ObjectType } from '../../src/protocol/object-types.js';
import type { DeviceIdentity } from '../../src/simulator/state.js';
import { FACTORY_PASSWORD, HttpTargets, runCli, Sandbox } from '../ceremony/harness.js';

const sandbox = new Sandbox('hsm2kms-real-local-');
after(() => sandbox.close());

/** A device attestation issued by a CA that is not the simulator's. */
function otherCa(identity: DeviceIdentity) {
  const chain = createTestAttestationChain({ serialNumber: identity.serial, firmwareVersion: [2, 4, 0] });
  const raw = rawFromPrivateKeyObject(chain.device.privateKey);
  return { algorithm: raw.algorithm, material: raw.material, certificate: chain.device.certificate };
}

it('import: a real-looking HSM and a local KMS are refused before anything changes, and run with --allow-local-kms', { timeout: 180_000 }, async () => {
  const targets = await HttpTargets.start(sandbox, { device: { createAttestation: otherCa } });
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

it('air-gapped split: wrap and complete refuse a real-looking HSM\'s key for a local KMS unless --allow-local-kms', { timeout: 180_000 }, async () => {
  const targets = await HttpTargets.start(sandbox, { device: { createAttestation: otherCa } });
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
    assert.match(wrapRefused.stderr.trim(), /^hsm2kms wrap: Refusing to export the key from YubiHSM 2 via yubihsm-connector at \S+ \(not a simulator\) into the local KMS hsm2kms prepare used \(KMS endpoint \S+\), which would keep the key material in a file on this machine; .* \[REAL_HSM_TO_LOCAL_KMS\]$/);
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
