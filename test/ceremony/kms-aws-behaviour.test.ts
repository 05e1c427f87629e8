/**
 * What real AWS KMS does that the local server does not, played by faults injected in front of a local KMS server:
 * GetParametersForImport throttled (one call per 4 s per account and Region), a new key or alias not yet visible
 * (eventual consistency of CreateKey, CreateAlias, ListAliases, ListKeys), a key still in state Creating, and a
 * CreateKey KMS refuses (e.g. the key policy lockout check). The KMS steps run on a context built here, with a
 * sleep that records the waits instead of waiting.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultConfig, type CeremonyConfig } from '../../src/ceremony/config.js';
import { ceremonyPaths, type CeremonyContext } from '../../src/ceremony/context.js';
import { CeremonyError } from '../../src/ceremony/errors.js';
import type { CeremonyEvent } from '../../src/ceremony/events.js';
import { Journal } from '../../src/ceremony/journal.js';
import { STEP_NAMES } from '../../src/ceremony/plan.js';
import { runCeremony } from '../../src/ceremony/runner.js';
import { CEREMONY_TAG, recoverCreatedKey } from '../../src/ceremony/steps/kms-keys.js';
import { kmsCreateKey } from '../../src/ceremony/steps/kms-create-key.js';
import { kmsImport } from '../../src/ceremony/steps/kms-import.js';
import { kmsImportParams } from '../../src/ceremony/steps/kms-import-params.js';
import { settledKey } from '../../src/ceremony/steps/kms-retry.js';
import { CachedWrappingKeys } from '../../src/ceremony/wrapping-key-cache.js';
import type { AwsKms } from '../../src/kms/client/aws-kms.js';
import {
  KmsInternalError, KmsMalformedPolicyDocumentError, KmsNotFoundError, KmsServiceError, KmsThrottlingError,
} from '../../src/kms/client/errors.js';
import type { KmsPort } from '../../src/kms/client/port.js';
import { startKmsServer, type KmsServer } from '../../src/kms/server/index.js';
import { FACTORY_PASSWORD, HttpTargets, kmsClient, Sandbox } from './harness.js';

const sandbox = new Sandbox('hsm2kms-kms-aws-');
let server: KmsServer;
let real: AwsKms;
let dirs: string[] = [];

before(async () => {
  server = await startKmsServer({ host: '127.0.0.1', port: 0, wrappingKeySource: new CachedWrappingKeys(sandbox.cacheDir) });
  real = kmsClient(server.url, server.credentials[0]);
});
after(async () => {
  real.destroy();
  await server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  sandbox.close();
});

type Ctor = new (init: ConstructorParameters<typeof KmsServiceError>[0]) => KmsServiceError;
function awsError(cls: Ctor & { awsName: string }, operation: string, fault: 'client' | 'server' = 'client'): KmsServiceError {
  return new cls({ code: 'TEST', message: `${operation} failed with ${cls.awsName} (injected)`, awsName: cls.awsName, fault, side: 'kms', operation });
}

/** The real port with some methods replaced. */
function faulty(overrides: Partial<Record<keyof KmsPort, (...args: any[]) => Promise<unknown>>>): KmsPort {
  return new Proxy(real as unknown as KmsPort, {
    get(target, prop) {
      if (prop in overrides) return overrides[prop as keyof KmsPort];
      const v = (target as unknown as Record<string | symbol, unknown>)[prop];
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

interface Harness {
  ctx: CeremonyContext;
  notes: string[];
  waits: number[];
}

function context(kms: KmsPort, o: { alias?: string; config?: (c: CeremonyConfig) => void } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'hsm2kms-kms-ctx-'));
  dirs.push(dir);
  const config = defaultConfig();
  config.kms.target = { kind: 'endpoint', url: server.url };
  config.kms.alias = o.alias ?? `alias/t-${dirs.length}`;
  config.workDir = join(dir, 'work');
  config.outDir = join(dir, 'out');
  o.config?.(config);
  const notes: string[] = [];
  const waits: number[] = [];
  const unused = new Proxy({}, { get: () => { throw new Error('the HSM is not used here'); } });
  const ctx: CeremonyContext = {
    config, paths: ceremonyPaths(config), hsm: unused as never, session: unused as never, kms,
    journal: Journal.create(join(dir, 'journal.json'), `test-${dirs.length}`, 'x', STEP_NAMES),
    now: () => new Date(), emit: (e: CeremonyEvent) => { if (e.type === 'note') notes.push(e.message); },
    state: { toolVersion: 'test', stepTimes: {} }, flags: { useExistingKey: false, allowSimulatedHsm: false },
    run: { startedAt: new Date(), targets: { hsm: '', kms: '', simulated: true } }, checkpoint: () => {},
    sleep: async (ms) => void waits.push(ms),
  };
  return { ctx, notes, waits };
}

describe('AWS KMS behaviour the ceremony copes with', () => {
  it('GetParametersForImport throttled: the quota is waited out, up to five attempts', async () => {
    let calls = 0;
    const h = context(faulty({
      getParametersForImport: async (req) => (++calls <= 2 ? Promise.reject(awsError(KmsThrottlingError, 'GetParametersForImport')) : real.getParametersForImport(req)),
    }));
    await kmsCreateKey.run(h.ctx);
    const outcome = await kmsImportParams.run(h.ctx);
    assert.match(outcome, /^RSA_4096 wrapping key [0-9a-f]{16}…, token valid to /);
    assert.equal(calls, 3);
    assert.deepEqual(h.waits, [4500, 4500]);
    assert.deepEqual(h.notes, ['KMS throttled GetParametersForImport; asking again in 4.5 s', 'KMS throttled GetParametersForImport; asking again in 4.5 s']);

    const always = context(faulty({ getParametersForImport: async () => Promise.reject(awsError(KmsThrottlingError, 'GetParametersForImport')) }));
    await kmsCreateKey.run(always.ctx);
    await assert.rejects(kmsImportParams.run(always.ctx), KmsThrottlingError);
    assert.equal(always.waits.length, 4, 'five attempts, four waits');
  });

  it('a new key not yet visible to CreateAlias is retried; a key that is really gone is not', async () => {
    let aliasCalls = 0;
    const h = context(faulty({
      createAlias: async (name: string, keyId: string) => (++aliasCalls <= 2 ? Promise.reject(awsError(KmsNotFoundError, 'CreateAlias')) : real.createAlias(name, keyId)),
    }));
    const outcome = await kmsCreateKey.run(h.ctx);
    assert.match(outcome, /^created arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]+; alias alias\/t-\d+ created$/);
    assert.deepEqual(h.waits, [1000, 2000]);
    assert.equal((await real.findAlias(h.ctx.config.kms.alias))?.targetKeyId, h.ctx.state.kmsKey!.keyId);

    // Long after CreateKey, NotFound is an answer, not a delay.
    const old = context(faulty({ createAlias: async () => Promise.reject(awsError(KmsNotFoundError, 'CreateAlias')) }));
    const created = await real.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL', tags: [{ key: CEREMONY_TAG, value: old.ctx.journal.ceremonyId }] });
    old.ctx.journal.setFacts({ kmsKeyArn: created.arn, createKeyStartedAt: new Date(Date.now() - 10 * 60_000).toISOString() });
    await assert.rejects(kmsCreateKey.run(old.ctx), KmsNotFoundError);
    assert.deepEqual(old.waits, []);
  });

  it('an alias ListAliases does not show yet is recognised by CreateAlias; one on another key is refused', async () => {
    const h = context(real);
    await kmsCreateKey.run(h.ctx);
    // A re-run right after: ListAliases lags and shows no alias, CreateAlias says it exists.
    const lagging = context(faulty({ findAlias: async () => undefined, listAliases: async () => [] }), { alias: h.ctx.config.kms.alias });
    lagging.ctx.journal = h.ctx.journal;
    assert.match(await kmsCreateKey.run(lagging.ctx), /^arn:.* \(recorded in the journal\)$/);

    // The alias on a key this ceremony did not create, found only through CreateAlias: refused.
    const other = context(faulty({ findAlias: async () => undefined, listAliases: async () => [] }), { alias: h.ctx.config.kms.alias });
    await assert.rejects(kmsCreateKey.run(other.ctx), (e: unknown) => {
      assert.ok(e instanceof CeremonyError);
      assert.equal(e.code, 'KMS_ALIAS_TAKEN');
      assert.equal(e.message, `KMS alias ${h.ctx.config.kms.alias} points to key ${h.ctx.state.kmsKey!.keyId}, which this ceremony did not create; choose another --alias.`);
      return true;
    });
  });

  it('a key in state Creating is waited for; a CreateKey KMS refuses leaves nothing to look for', async () => {
    const key = await real.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL', multiRegion: true });
    let describes = 0;
    const h = context(faulty({ describeKey: async (ref: string) => ({ ...(await real.describeKey(ref)), ...(++describes < 3 ? { keyState: 'Creating' } : {}) }) }));
    const settled = await settledKey(h.ctx, { ...key, keyState: 'Creating' });
    assert.equal(settled.keyState, 'PendingImport');
    assert.deepEqual(h.waits, [2000, 4000, 8000]);

    const refused = context(faulty({ createKey: async () => Promise.reject(awsError(KmsMalformedPolicyDocumentError, 'CreateKey')) }));
    await assert.rejects(kmsCreateKey.run(refused.ctx), KmsMalformedPolicyDocumentError);
    assert.equal(refused.ctx.journal.facts.createKeyStartedAt, undefined, 'no key can exist: nothing to recover later');
    const internal = context(faulty({ createKey: async () => Promise.reject(awsError(KmsInternalError, 'CreateKey', 'server')) }));
    await assert.rejects(kmsCreateKey.run(internal.ctx), KmsInternalError);
    assert.notEqual(internal.ctx.journal.facts.createKeyStartedAt, undefined, 'a server fault leaves the question open');
  });

  it('right after ImportKeyMaterial, a key KMS still shows as PendingImport is asked about again', async () => {
    const created = await real.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL' });
    let describes = 0;
    let imported = false;
    const h = context(faulty({
      importKeyMaterial: async () => { imported = true; return { keyArn: created.arn }; },
      describeKey: async () => (imported && ++describes >= 2 ? { ...created, keyState: 'Enabled', enabled: true, expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } : created),
    }));
    h.ctx.state.kmsKey = created;
    h.ctx.state.params = { keyArn: created.arn, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_4096', wrappingPublicKey: new Uint8Array(1), importToken: new Uint8Array(1), parametersValidTo: new Date(Date.now() + 3600_000) };
    h.ctx.state.wrapped = new Uint8Array(1);
    assert.equal(await kmsImport.run(h.ctx), 'imported; key is Enabled (KEY_MATERIAL_DOES_NOT_EXPIRE)');
    assert.deepEqual(h.waits, [1000]);
  });

  it('after a crash right after CreateKey on AWS, a key ListKeys does not list yet is looked for again', async () => {
    let lists = 0;
    const h = context(faulty({ listKeys: async () => (++lists === 1 ? [] : real.listKeys()) }), { config: (c) => (c.kms.target = { kind: 'aws', region: 'us-east-1' }) });
    h.ctx.journal.setFacts({ createKeyStartedAt: new Date().toISOString() });
    const key = await real.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL', tags: [{ key: CEREMONY_TAG, value: h.ctx.journal.ceremonyId }] });
    const found = await recoverCreatedKey(h.ctx);
    assert.equal(found?.arn, key.arn);
    assert.equal(lists, 2);
    assert.equal(h.waits.length, 1);
    assert.ok(h.waits[0] > 15_000 && h.waits[0] <= 20_000, `waited ${h.waits[0]} ms`);
  });
});

it('KMS settings may change after CreateKey was refused, not after a key may exist', { timeout: 120_000 }, async () => {
  const targets = await HttpTargets.start(sandbox);
  try {
    Object.assign(process.env, sandbox.env(targets.kmsEnv()));
    const dir = sandbox.dir('rebind');
    const config = () => {
      const c = defaultConfig();
      c.hsm.target = { kind: 'connector', url: targets.connector.url };
      c.kms.target = { kind: 'endpoint', url: targets.kmsServer.url };
      c.workDir = join(dir, '.hsm2kms');
      c.outDir = join(dir, 'out');
      return c;
    };
    const password = () => new TextEncoder().encode(FACTORY_PASSWORD);
    // The HSM steps are done; the run stops where CreateKey would have been refused.
    await assert.rejects(runCeremony({ config: config(), env: process.env, password: password(), checkpoint: (n) => { if (n === 'kms-create-key:start') throw new Error('CreateKey refused'); } }), /CreateKey refused/);

    const withAdmin = config();
    withAdmin.kms.administrators = ['arn:aws:iam::111122223333:role/KeyAdmin'];
    const relabelled = config();
    relabelled.key.label = 'Another label';
    await assert.rejects(runCeremony({ config: relabelled, env: process.env, password: password() }), (e: unknown) => e instanceof CeremonyError && e.code === 'JOURNAL_CONFIG_MISMATCH');
    const events: CeremonyEvent[] = [];
    const result = await runCeremony({ config: withAdmin, env: process.env, password: password(), onEvent: (e) => events.push(e) });
    assert.equal(result.ok, true);
    assert.ok(events.some((e) => e.type === 'note' && e.message === 'KMS settings changed before any KMS key was made (kms.administrators was [], now ["arn:aws:iam::111122223333:role/KeyAdmin"]); continuing with the new ones'));
    const policy = JSON.parse(await targets.kms.getKeyPolicy(result.keyArn));
    assert.ok(JSON.stringify(policy).includes('arn:aws:iam::111122223333:role/KeyAdmin'));

    // Now a key exists: changing the KMS settings again is refused.
    const withUser = config();
    withUser.kms.users = ['arn:aws:iam::111122223333:role/KeyUser'];
    await assert.rejects(runCeremony({ config: withUser, env: process.env, password: password() }), (e: unknown) => e instanceof CeremonyError && e.code === 'JOURNAL_CONFIG_MISMATCH' ? true : assert.fail(String(e)));
  } finally {
    await targets.close();
  }
});
