/**
 * Key material from a software YubiHSM 2 never goes to AWS or a KMS off this machine unless --allow-simulated-hsm:
 * not from the embedded device, not from `hsm2kms hsm serve` reached through --connector (recognised by its device
 * attestation certificate, which the simulator's test CA issued), and not through `complete` with a bundle a
 * simulator wrapped. Each refusal comes before anything is changed (exit 4) and before any call to KMS.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { defaultConfig } from '../../src/ceremony/config.js';
import { CeremonyError } from '../../src/ceremony/errors.js';
import type { CeremonyEvent } from '../../src/ceremony/events.js';
import { runCeremony } from '../../src/ceremony/runner.js';
import { ObjectType } from '../../src/protocol/object-types.js';
import { FACTORY_PASSWORD, HttpTargets, runCli, Sandbox } from '../ceremony/harness.js';

const sandbox = new Sandbox('hsm2kms-simulated-');
after(() => sandbox.close());

it('import: a simulator behind --connector is refused for AWS, and marked simulated with a local KMS', { timeout: 120_000 }, async () => {
  const targets = await HttpTargets.start(sandbox);
  try {
    const dir = sandbox.dir('connector');
    const config = defaultConfig();
    config.hsm.target = { kind: 'connector', url: targets.connector.url };
    config.kms.target = { kind: 'aws', region: 'eu-west-1' };
    config.workDir = join(dir, '.hsm2kms');
    config.outDir = join(dir, 'out');
    await assert.rejects(
      runCeremony({ config, env: sandbox.env(), password: new TextEncoder().encode(FACTORY_PASSWORD) }),
      (e: unknown) => {
        assert.ok(e instanceof CeremonyError);
        assert.equal(e.code, 'SIMULATED_HSM_TO_REAL_KMS');
        assert.equal(e.preflight, true);
        assert.equal(e.message, `Refusing to import a key from YubiHSM 2 via yubihsm-connector at ${targets.connector.url}, which is a software YubiHSM 2 (its device attestation certificate comes from the simulator's test CA) into AWS KMS in eu-west-1; name a real YubiHSM with --connector or --usb, or pass --allow-simulated-hsm for a throw-away rehearsal key.`);
        return true;
      },
    );
    const { session, close } = await targets.session();
    try {
      assert.deepEqual((await session.listObjects({ type: ObjectType.ASYMMETRIC_KEY })), [], 'nothing was generated');
    } finally {
      await close();
    }

    // With the local KMS it runs, says so, and the evidence records a simulator with the test CA in its chain.
    Object.assign(process.env, sandbox.env(targets.kmsEnv()));
    config.kms.target = { kind: 'endpoint', url: targets.kmsServer.url };
    const events: CeremonyEvent[] = [];
    const result = await runCeremony({ config, env: process.env, password: new TextEncoder().encode(FACTORY_PASSWORD), onEvent: (e) => events.push(e) });
    assert.equal(result.simulated, true);
    assert.ok(events.some((e) => e.type === 'finish' && e.simulated === true), 'the finish event says so too (the CLI repeats its SIMULATION notice)');
    assert.ok(events.some((e) => e.type === 'note' && e.step === 'preflight' && /^the HSM is a software YubiHSM 2 \(a simulator, not an HSM\)/.test(e.message)));
    const transcript = JSON.parse(readFileSync(join(dir, 'out', 'transcript.json'), 'utf8'));
    assert.equal(transcript.targets.simulated, true);
    assert.equal(transcript.hsm.attestation.chainPem.length, 3, 'device certificate, test intermediate, test root');
  } finally {
    await targets.close();
  }
});

it('complete: a bundle a simulator wrapped is refused for AWS before any KMS call', { timeout: 120_000 }, async () => {
  const targets = await HttpTargets.start(sandbox);
  try {
    const dir = sandbox.dir('split');
    const env = sandbox.env(targets.kmsEnv());
    const kms = ['--kms', targets.kmsServer.url];
    const ok = async (args: string[]) => {
      const r = await runCli(args, { cwd: dir, env });
      assert.equal(r.code, 0, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
    };
    await ok(['prepare', ...kms, '--work-dir', 'online']);
    await ok(['wrap', 'hsm2kms-out/import-request.json', '--work-dir', 'offline']);
    const r = await runCli(['complete', 'hsm2kms-out/wrapped-key.json', '--work-dir', 'online', '--request', 'hsm2kms-out/import-request.json', '--kms', 'aws', '--region', 'eu-west-1'], { cwd: dir, env });
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stderr, 'hsm2kms complete: Refusing to import a key from hsm2kms-out/wrapped-key.json, which a software YubiHSM 2 (a simulator) wrapped into AWS KMS in eu-west-1; run hsm2kms wrap next to a real YubiHSM (--connector or --usb), or pass --allow-simulated-hsm for a throw-away rehearsal key. [SIMULATED_HSM_TO_REAL_KMS]\n');
    assert.equal(r.stdout, '');
  } finally {
    await targets.close();
  }
});
