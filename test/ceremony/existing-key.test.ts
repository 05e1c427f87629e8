/**
 * `--use-existing-key`: a key made outside hsm2kms (the seed's own `generate asymmetric 0 0x100 ...`) is imported
 * only when asked for, and a key the HSM would refuse to export under the public wrap key, or could not use to check
 * KMS's copy both ways, is refused in pre-flight: before any KMS key exists, so nothing is left half made.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AsymmetricKey } from '../../src/client/index.js';
import { defaultConfig, type CeremonyConfig } from '../../src/ceremony/config.js';
import { CeremonyError } from '../../src/ceremony/errors.js';
import type { CeremonyEvent } from '../../src/ceremony/events.js';
import { runCeremony } from '../../src/ceremony/runner.js';
import { FACTORY_PASSWORD, HttpTargets, Sandbox } from './harness.js';

const sandbox = new Sandbox('hsm2kms-existing-');
after(() => sandbox.close());

let targets: HttpTargets;

function configFor(name: string, o: Partial<CeremonyConfig['key']> = {}): CeremonyConfig {
  const dir = sandbox.dir(name);
  const c = defaultConfig();
  c.hsm.target = { kind: 'connector', url: targets.connector.url };
  c.kms.target = { kind: 'endpoint', url: targets.kmsServer.url };
  c.workDir = join(dir, '.hsm2kms');
  c.outDir = join(dir, 'out');
  c.kms.alias = `alias/${name}`;
  Object.assign(c.key, o);
  return c;
}

async function generate(o: { id: number; domains: string; capabilities: string; algorithm: string }): Promise<void> {
  const { session, close } = await targets.session();
  try {
    await AsymmetricKey.generate(session, { label: 'YubiHSM Signing Key', ...o });
  } finally {
    await close();
  }
}

function run(config: CeremonyConfig, useExistingKey: boolean, onEvent?: (e: CeremonyEvent) => void) {
  return runCeremony({ config, env: process.env, password: new TextEncoder().encode(FACTORY_PASSWORD), useExistingKey, ...(onEvent ? { onEvent } : {}) });
}

function refused(code: string, message: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof CeremonyError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    assert.equal(e.preflight, true);
    return true;
  };
}

async function aliasCount(): Promise<number> {
  return (await targets.kms.listAliases()).filter((a) => !a.aliasName.startsWith('alias/aws/')).length;
}

describe('--use-existing-key', () => {
  it('a key made by the seed\'s yubihsm-shell line is imported only when asked for', { timeout: 120_000 }, async () => {
    targets = await HttpTargets.start(sandbox);
    try {
      Object.assign(process.env, sandbox.env(targets.kmsEnv()));
      await generate({ id: 0x100, domains: '1', capabilities: 'exportable-under-wrap,sign-ecdsa', algorithm: 'ecp256' });
      const config = configFor('seed');
      await assert.rejects(run(config, false), refused('HSM_KEY_ID_TAKEN', 'HSM object 0x0100 (YubiHSM Signing Key, ecp256) already exists and was not made by this ceremony; choose another --key-id, or pass --use-existing-key to import that key.'));
      const events: CeremonyEvent[] = [];
      const result = await run(config, true, (e) => events.push(e));
      assert.equal(result.ok, true);
      const pre = events.find((e) => e.type === 'step-done' && e.step === 'preflight');
      assert.match(pre?.type === 'step-done' ? pre.outcome : '', /; key 0x0100 exists \(importing an existing key\)/);
    } finally {
      await targets.close();
    }
  });

  it('keys the HSM would not export, or could not check KMS with, are refused before any KMS key exists', { timeout: 120_000 }, async () => {
    targets = await HttpTargets.start(sandbox);
    try {
      Object.assign(process.env, sandbox.env(targets.kmsEnv()));
      await generate({ id: 0x200, domains: '1', capabilities: 'exportable-under-wrap,sign-ecdsa,sign-attestation-certificate', algorithm: 'ecp256' });
      await assert.rejects(run(configFor('extra', { id: 0x200 }), true), refused(
        'HSM_KEY_EXTRA_CAPABILITIES',
        'HSM key 0x0200 also has sign-attestation-certificate; the public wrap key delegates only sign-ecdsa,exportable-under-wrap, so the HSM would refuse to export it; use a key with just those capabilities.',
      ));

      await generate({ id: 0x201, domains: '2', capabilities: 'exportable-under-wrap,sign-ecdsa', algorithm: 'ecp256' });
      await assert.rejects(run(configFor('domains', { id: 0x201 }), true), refused(
        'HSM_KEY_DOMAINS',
        'HSM key 0x0201 is in domains 2, none of them in --domains 1, where the public wrap key goes; give --domains 2.',
      ));

      await generate({ id: 0x202, domains: '1', capabilities: 'exportable-under-wrap,sign-pss', algorithm: 'rsa2048' });
      await assert.rejects(run(configFor('pss', { id: 0x202, keySpec: 'RSA_2048', usage: 'SIGN_VERIFY' }), true), refused(
        'HSM_KEY_CANNOT_VERIFY',
        'HSM key 0x0202 lacks sign-pkcs, which the HSM needs to check KMS\'s copy both ways (SIGN_VERIFY); use a key that has it.',
      ));
      assert.equal(await aliasCount(), 0, 'no KMS alias (and so no KMS key) was made');
      assert.deepEqual(await targets.kms.listKeys(), [], 'no KMS key was made');

      // The key in domain 2 goes through once the wrap key is put there too.
      assert.equal((await run(configFor('domains-2', { id: 0x201, domains: 2 }), true)).ok, true);
    } finally {
      await targets.close();
    }
  });
});
