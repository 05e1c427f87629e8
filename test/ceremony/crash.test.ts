/**
 * Crash tests: the built `hsm2kms import` (embedded targets, whose device and KMS state live under the work dir) is
 * killed with SIGKILL at every checkpoint the ceremony passes (step boundaries `<step>:start|end|done` and the named
 * points inside steps, found by running the ceremony once in-process), and also from outside at moments that fall
 * inside steps; then the same command is run again. Every time, reality must be: one Enabled KMS key with the
 * ceremony's tag and alias whose public key equals the HSM's, one HSM key at 0x0100, no public wrap key left, the
 * journal readable, no temp file left half-written, and the seed's openssl check passing on the output files.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultConfig } from '../../src/ceremony/config.js';
import { runCeremony } from '../../src/ceremony/runner.js';
import type { CeremonyKeySpec } from '../../src/ceremony/key-specs.js';
import { STEP_NAMES } from '../../src/ceremony/plan.js';
import { assertCeremonyDone, CLI, EmbeddedState, listFiles, mode, openssl, runCli, Sandbox } from './harness.js';

const sandbox = new Sandbox('hsm2kms-crash-');
after(() => sandbox.close());

/** The checkpoints of a fresh P-256 ceremony on the embedded targets, in the order they are reached. */
let checkpoints: string[] = [];

before(async () => {
  const seen: string[] = [];
  await runCeremony({ config: configIn(sandbox.dir('discover')), env: sandbox.env(), checkpoint: (name) => void seen.push(name) });
  checkpoints = [...new Set(seen)];
});

/** The CLI's defaults with the work and output dirs of `dir` (what `hsm2kms import` run in `dir` uses). */
function configIn(dir: string) {
  const config = defaultConfig();
  config.workDir = join(dir, '.hsm2kms');
  config.outDir = join(dir, 'hsm2kms-out');
  return config;
}

/** The same ceremony again, in this process (cheaper than a new process; the CLI re-run is covered below). */
async function rerunInProcess(dir: string): Promise<void> {
  const result = await runCeremony({ config: configIn(dir), env: sandbox.env() });
  assert.equal(result.ok, true);
}

/** Runs `hsm2kms import` in `dir`; with `crashAt`, expects the process to die by SIGKILL there. */
async function run(dir: string, crashAt?: string): Promise<void> {
  const env = sandbox.env(crashAt ? { HSM2KMS_TEST_CRASH_AT: crashAt } : {});
  const r = await runCli(['import', '--json'], { cwd: dir, env });
  if (crashAt) {
    assert.equal(r.signal, 'SIGKILL', `killed at ${crashAt}; exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  } else {
    assert.equal(r.code, 0, `re-run finishes\n${r.stdout}\n${r.stderr}`);
    assert.equal(r.stderr, '');
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    assert.equal(last.type, 'result');
    assert.equal(last.ok, true);
  }
}

/** Reality after the final run, plus the files: journal whole and 0600, no temp files, seed check passes. */
async function checkReality(dir: string): Promise<void> {
  const workDir = join(dir, '.hsm2kms');
  const out = join(dir, 'hsm2kms-out');
  const journal = JSON.parse(readFileSync(join(workDir, 'journal.json'), 'utf8'));
  assert.equal(journal.format, 'hsm2kms-journal');
  for (const step of STEP_NAMES) assert.equal(journal.steps[step].status, 'done', `journal: ${step} done`);
  assert.equal(mode(join(workDir, 'journal.json')), 0o600);
  assert.equal(mode(join(workDir, 'embedded', 'hsm-state.json')), 0o600);
  const leftovers = [...listFiles(workDir), ...listFiles(out)].filter((f) => f.endsWith('.tmp'));
  assert.deepEqual(leftovers, [], 'no temp files left');
  assert.equal(openssl(['dgst', '-sha256', '-verify', 'key0x100.pub', '-signature', 'message-aws.signature', 'message-aws.txt'], out), 'Verified OK\n');
  const transcript = JSON.parse(readFileSync(join(out, 'transcript.json'), 'utf8'));

  const state = await EmbeddedState.open(workDir);
  try {
    const { session, close } = await state.session();
    try {
      const found = await assertCeremonyDone(state.kms, session, { keySpec: 'ECC_NIST_P256' });
      assert.equal(found.ceremonyId, journal.ceremonyId, 'the KMS key carries this ceremony id');
      assert.equal(transcript.kms.keyArn, found.kmsKey.arn);
      assert.equal(transcript.hsm.publicKey.spkiBase64, Buffer.from(found.hsmSpki!).toString('base64'));
    } finally {
      await close();
    }
  } finally {
    await state.close();
  }
}

/** Runs `tasks` with at most `n` at a time. */
async function pool<T>(items: T[], n: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const failures: unknown[] = [];
  await Promise.all(Array.from({ length: n }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      try {
        await task(item);
      } catch (e) {
        failures.push(e);
      }
    }
  }));
  if (failures.length) throw failures[0];
}

describe('hsm2kms import killed and re-run', () => {
  it('passes every step boundary and the points inside steps', () => {
    for (const step of STEP_NAMES) {
      for (const edge of ['start', 'end', 'done']) assert.ok(checkpoints.includes(`${step}:${edge}`), `${step}:${edge}`);
    }
    for (const inside of ['hsm-generate-key:after-generate', 'kms-create-key:after-create', 'kms-import-params:after-fetch',
      'kms-import-params:after-bundle', 'hsm-put-wrap-key:after-put', 'hsm-wrap:after-wrap', 'kms-import:before-import',
      'kms-import:after-import', 'cleanup:before-delete', 'cleanup:after-delete']) {
      assert.ok(checkpoints.includes(inside), inside);
    }
  });

  it('SIGKILL at each checkpoint, then the same ceremony finishes with one key and no wrap key left', async () => {
    assert.ok(checkpoints.length >= 45, `${checkpoints.length} checkpoints`);
    await pool(checkpoints, 2, async (point) => {
      const dir = sandbox.dir(point.replace(/:/g, '_'));
      await run(dir, point);
      await rerunInProcess(dir);
      await checkReality(dir);
    });
  });

  it('the re-run is the same command line: SIGKILL at a point in each step, then hsm2kms import again', async () => {
    const points = ['preflight:end', 'hsm-generate-key:after-generate', 'hsm-public-key:done', 'hsm-attest:end',
      'kms-create-key:after-create', 'kms-import-params:after-bundle', 'hsm-put-wrap-key:after-put', 'hsm-wrap:after-write',
      'kms-import:after-import', 'verify:after-kms-sign', 'cleanup:after-delete', 'evidence:before-transcript'];
    await pool(points, 2, async (point) => {
      const dir = sandbox.dir(`cli-${point.replace(/:/g, '_')}`);
      await run(dir, point);
      await run(dir);
      await checkReality(dir);
    });
  });

  it('killed twice at different points, then finished', async () => {
    const pairs: Array<[string, string]> = [
      ['kms-create-key:after-create', 'kms-import:before-import'],
      ['kms-import-params:after-bundle', 'hsm-put-wrap-key:after-put'],
      ['hsm-wrap:after-wrap', 'cleanup:before-delete'],
      ['kms-import:after-import', 'verify:after-kms-sign'],
    ];
    await pool(pairs, 2, async ([a, b]) => {
      const dir = sandbox.dir('twice');
      await run(dir, a);
      await run(dir, b);
      await run(dir);
      await checkReality(dir);
    });
  });

  it('AES-256 (SYMMETRIC_DEFAULT) and RSA keys: killed inside the verification that re-imports or decrypts, then finished', async () => {
    // The AES key's verification fetches parameters again (the second time that point is reached), reloads the wrap
    // key and wraps and imports again; the RSA encryption key's verification decrypts in the HSM.
    const cases: Array<[string[], string, CeremonyKeySpec]> = [
      [['--key-spec', 'SYMMETRIC_DEFAULT'], 'kms-import-params:after-bundle#2', 'SYMMETRIC_DEFAULT'],
      [['--key-spec', 'SYMMETRIC_DEFAULT'], 'verify:before-reimport', 'SYMMETRIC_DEFAULT'],
      [['--key-spec', 'SYMMETRIC_DEFAULT'], 'hsm-wrap:after-wrap', 'SYMMETRIC_DEFAULT'],
      [['--key-spec', 'RSA_2048', '--key-usage', 'ENCRYPT_DECRYPT'], 'verify:start', 'RSA_2048'],
    ];
    await pool(cases, 2, async ([flags, point, keySpec]) => {
      const dir = sandbox.dir(`${keySpec}-${point.replace(/[:#]/g, '_')}`);
      const env = sandbox.env();
      const killed = await runCli(['import', ...flags], { cwd: dir, env: { ...env, HSM2KMS_TEST_CRASH_AT: point } });
      assert.equal(killed.signal, 'SIGKILL', `${point}: ${killed.stdout}${killed.stderr}`);
      const r = await runCli(['import', ...flags], { cwd: dir, env });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const state = await EmbeddedState.open(join(dir, '.hsm2kms'));
      try {
        const { session, close } = await state.session();
        try {
          await assertCeremonyDone(state.kms, session, { keySpec, usage: keySpec === 'RSA_2048' ? 'ENCRYPT_DECRYPT' : undefined });
        } finally {
          await close();
        }
      } finally {
        await state.close();
      }
    });
  });

  it('killed from outside as each step starts (inside the step, at no chosen point), then finished', async () => {
    await pool([...STEP_NAMES], 2, async (step) => {
      const dir = sandbox.dir(`outside-${step}`);
      const child = spawn(process.execPath, [CLI, 'import', '--json'], { cwd: dir, env: sandbox.env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let buffered = '';
      let killed = false;
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        buffered += d;
        if (!killed && buffered.includes(`"type":"step-start","step":"${step}"`)) {
          killed = true;
          child.kill('SIGKILL');
        }
      });
      const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
      assert.ok(signal === 'SIGKILL' || code === 0, `${step}: killed or finished (${code} ${signal})`);
      await run(dir);
      await checkReality(dir);
    });
  });
});
