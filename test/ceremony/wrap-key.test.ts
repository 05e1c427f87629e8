/**
 * The public wrap key slot belongs to the ceremony only when the ceremony loaded the key there: a wrap key someone
 * else put at --wrap-key-id (another ceremony in another work dir, or yubihsm-shell) is never replaced or deleted,
 * even when its attributes look exactly like the ceremony's own, and the ceremony refuses before changing anything.
 * The ceremony's own wrap key leaves the HSM as soon as a run fails, not only at the end.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PublicWrapKey } from '../../src/client/index.js';
import { defaultConfig, type CeremonyConfig } from '../../src/ceremony/config.js';
import { CeremonyError } from '../../src/ceremony/errors.js';
import { runCeremony } from '../../src/ceremony/runner.js';
import { capabilities } from '../../src/protocol/capabilities.js';
import { ObjectType } from '../../src/protocol/object-types.js';
import type { CeremonyEvent } from '../../src/ceremony/events.js';
import { assertCeremonyDone, FACTORY_PASSWORD, HttpTargets, runCli, Sandbox } from './harness.js';

const sandbox = new Sandbox('hsm2kms-wrapkey-');
after(() => sandbox.close());

function configFor(targets: HttpTargets, dir: string, o: { keyId?: number; alias?: string } = {}): CeremonyConfig {
  const c = defaultConfig();
  c.hsm.target = { kind: 'connector', url: targets.connector.url };
  c.kms.target = { kind: 'endpoint', url: targets.kmsServer.url };
  c.workDir = join(dir, '.hsm2kms');
  c.outDir = join(dir, 'hsm2kms-out');
  if (o.keyId !== undefined) c.key.id = o.keyId;
  if (o.alias !== undefined) c.kms.alias = o.alias;
  return c;
}

const password = () => new TextEncoder().encode(FACTORY_PASSWORD);

async function wrapKeyModulus(targets: HttpTargets): Promise<string | undefined> {
  const { session, close } = await targets.session();
  try {
    const list = await session.listObjects({ type: ObjectType.PUBLIC_WRAP_KEY });
    if (list.length === 0) return undefined;
    return Buffer.from((await PublicWrapKey.from(session, 0x101).getPublicKey()).raw).toString('hex');
  } finally {
    await close();
  }
}

function refusedAsTaken(e: unknown): boolean {
  assert.ok(e instanceof CeremonyError, String(e));
  assert.equal(e.code, 'HSM_WRAP_KEY_ID_TAKEN');
  assert.equal(e.preflight, true);
  assert.equal(
    e.message,
    'HSM public wrap key 0x0101 (AWS KMS Wrap Key) was not loaded by this ceremony, so hsm2kms will not replace or delete it; choose another --wrap-key-id for a new ceremony, or delete that key yourself if it is no longer needed.',
  );
  return true;
}

describe('the public wrap key slot', () => {
  it('a second ceremony on the same HSM leaves the first one\'s wrap key alone; the first then finishes and removes it', async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      Object.assign(process.env, sandbox.env(targets.kmsEnv()));
      // The first ceremony is killed while its wrap key is in the HSM (a failure would remove it, a kill cannot).
      const firstDir = sandbox.dir('first');
      const first = configFor(targets, firstDir);
      const killed = await runCli(['import', ...targets.args()], { cwd: firstDir, env: sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD, HSM2KMS_TEST_CRASH_AT: 'hsm-wrap:start' }) });
      assert.equal(killed.signal, 'SIGKILL');
      const loaded = await wrapKeyModulus(targets);
      assert.ok(loaded, 'the first ceremony left its wrap key at 0x0101');

      // Same wrap key id and attributes, another key and alias, another work dir.
      const second = configFor(targets, sandbox.dir('second'), { keyId: 0x200, alias: 'alias/second' });
      await assert.rejects(runCeremony({ config: second, env: process.env, password: password() }), refusedAsTaken);
      assert.equal(await wrapKeyModulus(targets), loaded, 'the first ceremony\'s wrap key is untouched');

      const result = await runCeremony({ config: first, env: process.env, password: password() });
      assert.equal(result.ok, true);
      const { session, close } = await targets.session();
      try {
        await assertCeremonyDone(targets.kms, session, { keySpec: 'ECC_NIST_P256' });
      } finally {
        await close();
      }
    } finally {
      await targets.close();
    }
  });

  it('a failure after the wrap key was loaded removes it at once; the re-run loads it again and finishes', async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      Object.assign(process.env, sandbox.env(targets.kmsEnv()));
      const config = configFor(targets, sandbox.dir('failed'));
      const events: CeremonyEvent[] = [];
      await assert.rejects(
        runCeremony({ config, env: process.env, password: password(), onEvent: (e) => events.push(e), checkpoint: (n) => { if (n === 'kms-import:start') throw new Error('KMS went away'); } }),
        /KMS went away/,
      );
      assert.equal(await wrapKeyModulus(targets), undefined, 'no wrap key left in the HSM');
      const last = events.at(-1);
      assert.deepEqual(last, { type: 'note', message: 'removed public wrap key 0x0101 from the HSM after the failure; a re-run loads it again if it is still needed' });
      assert.equal((await runCeremony({ config, env: process.env, password: password() })).ok, true);
      const { session, close } = await targets.session();
      try {
        await assertCeremonyDone(targets.kms, session, { keySpec: 'ECC_NIST_P256' });
      } finally {
        await close();
      }
    } finally {
      await targets.close();
    }
  });

  it('a wrap key put at the id after a finished ceremony is neither deleted nor replaced by a re-run', async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      Object.assign(process.env, sandbox.env(targets.kmsEnv()));
      const config = configFor(targets, sandbox.dir('done'));
      assert.equal((await runCeremony({ config, env: process.env, password: password() })).ok, true);

      // Someone loads a wrap key at 0x0101 with the very attributes the ceremony uses.
      const other = await targets.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL' });
      const params = await targets.kms.getParametersForImport({ keyId: other.arn, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_3072' });
      const { session, close } = await targets.session();
      try {
        await PublicWrapKey.put(session, {
          id: 0x101, label: 'AWS KMS Wrap Key', domains: 1, capabilities: capabilities('export-wrapped'),
          delegatedCapabilities: capabilities('sign-ecdsa', 'exportable-under-wrap'), publicKey: params.wrappingPublicKey,
        });
      } finally {
        await close();
      }
      const theirs = await wrapKeyModulus(targets);
      assert.equal(theirs?.length, 2 * 384);

      await assert.rejects(runCeremony({ config, env: process.env, password: password() }), refusedAsTaken);
      assert.equal(await wrapKeyModulus(targets), theirs, 'their wrap key is still there, unchanged');
      await targets.kms.scheduleKeyDeletion(other.keyId, 7);
    } finally {
      await targets.close();
    }
  });
});
