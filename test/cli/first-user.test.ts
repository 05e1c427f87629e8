/**
 * What a first-time user runs into, each fixed once and kept fixed: a group word alone (`hsm2kms hsm`), the
 * SIMULATION notice naming only the flags that apply, a mistyped input path that must leave nothing behind, a
 * refused `kms sign` that must not write message-aws.txt, a path that cannot be written (one line naming the file,
 * not "internal error"), no empty output directory after a failed pre-flight, and the serve commands' start and stop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulationBanner } from '../../src/cli/render.js';
import { cleanEnv, errorLine, hsm2kms, MAIN, withTempDir } from './steps-helpers.js';

const isTs = import.meta.url.endsWith('.ts');

test('a group word alone names its commands; an unknown command is named by its word only', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const o = { cwd: dir, env: cleanEnv() };
    let r = await hsm2kms([], o);
    assert.equal(r.code, 2, 'no command is a bad command line');
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Usage: hsm2kms <command> \[options\]/m);
    assert.match(r.stderr, /^  import +run the whole ceremony/m);
    r = await hsm2kms(['hsm'], o);
    assert.equal(r.code, 2);
    assert.equal(errorLine(r.stderr), 'hsm2kms: "hsm" needs a command: one of serve, generate, pubkey, put-wrapkey, wrap (e.g. hsm2kms hsm serve --help).');
    r = await hsm2kms(['kms', 'sgin'], o);
    assert.equal(r.code, 2);
    assert.equal(errorLine(r.stderr), 'hsm2kms: "kms" has no command "sgin": one of serve, create, params, import, sign (e.g. hsm2kms kms serve --help).');
    r = await hsm2kms(['transcript'], o);
    assert.equal(errorLine(r.stderr), 'hsm2kms: "transcript" needs a command: one of verify (e.g. hsm2kms transcript verify --help).');
    r = await hsm2kms(['hsm', '--help'], o);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: hsm2kms hsm <command>/);
    assert.match(r.stdout, /^  hsm put-wrapkey +seed step 4/m);
    assert.doesNotMatch(r.stdout, /kms create/);
    r = await hsm2kms(['imprt', '--dry-run'], o);
    assert.equal(r.code, 2);
    assert.equal(errorLine(r.stderr), 'hsm2kms: unknown command "imprt"; run "hsm2kms --help" for the list.');
    assert.deepEqual(readdirSync(dir), []);
  });
});

test('the SIMULATION notice suggests only the flags for what is simulated', () => {
  assert.equal(simulationBanner('', 'embedded local KMS (in-process, not AWS)', true),
    'SIMULATION: this ceremony runs on the embedded local KMS (not AWS). For real targets use --kms aws for AWS KMS.');
  assert.equal(simulationBanner('embedded software YubiHSM 2 (simulator, in-process)', '', true),
    'SIMULATION: this ceremony runs on the embedded software YubiHSM 2 (a simulator, not an HSM). For real targets use --connector URL or --usb for a real YubiHSM 2.');
  assert.equal(simulationBanner('embedded software YubiHSM 2 (simulator, in-process)', 'embedded local KMS (in-process, not AWS)', true),
    'SIMULATION: this ceremony runs on the embedded software YubiHSM 2 (a simulator, not an HSM) and the embedded local KMS (not AWS). For real targets use --connector URL or --usb for a real YubiHSM 2, and --kms aws for AWS KMS.');
  // hsm2kms hsm serve behind --connector: the user did name --connector, so the hint is about what it points at.
  assert.equal(simulationBanner('YubiHSM 2 via yubihsm-connector at http://127.0.0.1:12345', 'KMS endpoint http://127.0.0.1:4599', true),
    "SIMULATION: this ceremony runs on a software YubiHSM 2 (a simulator, not an HSM). For real targets use --connector with a real YubiHSM 2's yubihsm-connector, or --usb.");
  assert.equal(simulationBanner('YubiHSM 2 via yubihsm-connector at http://127.0.0.1:12345', 'AWS KMS', false), undefined);
});

test('a mistyped input file is refused before any target is opened: nothing is left behind', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const o = { cwd: dir, env: cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') }) };
    const cases: Array<[string[], RegExp]> = [
      [['hsm', 'put-wrapkey', 'Import_Parameters_typo.zip'], /^hsm2kms hsm put-wrapkey: Cannot read the wrapping public key Import_Parameters_typo\.zip \(ENOENT\); give wrappingkey-aws\.pem .* \[FILE_UNREADABLE\]$/],
      [['hsm', 'put-wrapkey'], /^hsm2kms hsm put-wrapkey: Cannot read the wrapping public key wrappingkey-aws\.pem \(ENOENT\); .* \[FILE_UNREADABLE\]$/],
      [['kms', 'import'], /^hsm2kms kms import: Cannot read the wrapped key key0x100-wrapped-aws\.bin \(ENOENT\); wrap the key first .* \[FILE_UNREADABLE\]$/],
      [['wrap', 'import-requst.json'], /^hsm2kms wrap: Cannot read import-requst\.json \(ENOENT\); give the import-request\.json of hsm2kms prepare .* \[BUNDLE_UNREADABLE\]$/],
      [['complete', 'wraped-key.json'], /^hsm2kms complete: Cannot read wraped-key\.json \(ENOENT\); check the path\. \[BUNDLE_UNREADABLE\]$/],
    ];
    for (const [args, line] of cases) {
      const r = await hsm2kms(args, o);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /^SIMULATION: /m, 'no target was opened');
      assert.match(errorLine(r.stderr), line);
      assert.deepEqual(readdirSync(dir), [], `${args.join(' ')} left files behind`);
    }
  });
});

test('kms sign refused (no such key) does not write message-aws.txt', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const r = await hsm2kms(['kms', 'sign'], { cwd: dir, env: cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') }) });
    assert.equal(r.code, 1);
    assert.match(errorLine(r.stderr), /\[KMS_KEY_NOT_FOUND\]$/);
    assert.equal(existsSync(join(dir, 'message-aws.txt')), false);
  });
});

test('a path that cannot be written is one line naming it, with exit 1 (not an internal error)', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const o = { cwd: dir, env: cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') }) };
    writeFileSync(join(dir, 'plain-file'), 'not a directory\n');
    let r = await hsm2kms(['import', '--work-dir', 'plain-file/w'], o);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(errorLine(r.stderr), 'hsm2kms import: Cannot create the directory plain-file/w (ENOTDIR: a part of the path is a file, not a directory); check that path or choose another --out or --work-dir, then re-run. [FILE_SYSTEM_ERROR]');
    r = await hsm2kms(['import', '--json', '--work-dir', 'plain-file/w'], o);
    assert.equal(r.code, 1);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    assert.equal(last.type, 'error');
    assert.equal(last.code, 'FILE_SYSTEM_ERROR');
    r = await hsm2kms(['hsm', 'generate', '--work-dir', 'plain-file/w'], o);
    assert.equal(r.code, 1);
    assert.equal(errorLine(r.stderr), 'hsm2kms hsm generate: Cannot create the directory plain-file/w (ENOTDIR: a part of the path is a file, not a directory); check that path or choose another --out or --work-dir, then re-run. [FILE_SYSTEM_ERROR]');
    // The output directory cannot be made either: the same one line, never INTERNAL.
    r = await hsm2kms(['import', '--out', 'plain-file/out'], o);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout + r.stderr, /INTERNAL|internal error/);
    assert.match(r.stderr, /^hsm2kms import: Cannot create the directory plain-file\/out \(ENOTDIR: [^)]*\); .*\[FILE_SYSTEM_ERROR\]$/m);
  });
});

test('a pre-flight that fails leaves no empty output directory behind', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const o = { cwd: dir, env: cleanEnv({ HSM2KMS_HSM_PASSWORD: 'password' }) };
    const r = await hsm2kms(['import', '--connector', 'http://127.0.0.1:1'], o);
    assert.equal(r.code, 4, r.stderr);
    assert.match(errorLine(r.stderr), /\[CONNECTOR_UNREACHABLE\]$/);
    assert.equal(existsSync(join(dir, 'hsm2kms-out')), false);
  });
});

test('hsm serve refuses a --state file it cannot write instead of serving keys it cannot keep', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    writeFileSync(join(dir, 'plain-file'), 'not a directory\n');
    const r = await hsm2kms(['hsm', 'serve', '--listen', '127.0.0.1:0', '--state', 'plain-file/hsm.json'], { cwd: dir });
    assert.equal(r.code, 2);
    // mkdir -p of plain-file reports EEXIST (a file is in the way).
    assert.match(errorLine(r.stderr), /^hsm2kms hsm serve: Cannot write --state plain-file\/hsm\.json \(E[A-Z]+\); choose a file in a writable directory\. \[CLI_STATE_UNWRITABLE\]$/);
    assert.equal(r.stdout, '');
  });
});

test('kms serve says it stopped on Ctrl-C, and whether the keys were kept', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const child = spawn(process.execPath, [...(isTs ? ['--import', 'tsx'] : []), MAIN, 'kms', 'serve', '--listen', '127.0.0.1:0'], {
      cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (b) => {
        stdout += b;
        if (stdout.includes('Use with:')) resolve();
      });
    });
    child.kill('SIGINT');
    assert.equal(await done, 0);
    assert.match(stdout, /\nStopped; the keys were in memory only and are gone\.\n$/);
  });
});

test('kms serve refuses a non-loopback --listen without --allow-remote, as hsm serve does', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const r = await hsm2kms(['kms', 'serve', '--listen', '0.0.0.0:0'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(errorLine(r.stderr), "hsm2kms kms serve: --listen 0.0.0.0 is not a loopback address; the local KMS accepts AWS's published example keys, so add --allow-remote (and --credentials FILE) only on a closed test network. [CLI_REMOTE_LISTEN]");
    assert.equal(r.stdout, '');
  });
});

test('a relative passwordFile from a ceremony file that is not found says where it was looked for', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    mkdirSync(join(dir, 'cfg'));
    writeFileSync(join(dir, 'cfg', 'c.yaml'), 'version: 1\nhsm: { passwordFile: ./pw }\n');
    writeFileSync(join(dir, 'cfg', 'pw'), 'password\n', { mode: 0o600 });
    const r = await hsm2kms(['import', '--config', 'cfg/c.yaml'], { cwd: dir, env: cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') }) });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(errorLine(r.stderr), `hsm2kms import: Password file ./pw (relative to the current directory ${realpathSync(dir)}) cannot be read; check the path given to --password-file or hsm.passwordFile. [PASSWORD_FILE_MISSING]`);
  });
});

test('kms create refused because the alias belongs to another ceremony changes nothing: exit 4', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    const o = { cwd: dir, env: cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') }) };
    const first = await hsm2kms(['import'], o);
    assert.equal(first.code, 0, first.stderr);
    // The README's step-by-step commands run where hsm2kms import already ran: its key holds alias/key0x100.
    const r = await hsm2kms(['kms', 'create'], o);
    assert.equal(r.code, 4, r.stderr);
    assert.match(errorLine(r.stderr), /^hsm2kms kms create: KMS alias alias\/key0x100 points to key [0-9a-f-]{36}, which this ceremony did not create; choose another --alias\. \[KMS_ALIAS_TAKEN\]$/);
  });
});

test('Ctrl-C in a seed-step command says to run it again, and stops it as an interrupt', { timeout: 60_000 }, async () => {
  // A connector that takes the request and never answers: the command is surely half way when Ctrl-C comes.
  let sawRequest!: () => void;
  const requested = new Promise<void>((resolve) => (sawRequest = resolve));
  const server = createServer(() => sawRequest());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await withTempDir(async (dir) => {
      const child = spawn(process.execPath, [...(isTs ? ['--import', 'tsx'] : []), MAIN, 'hsm', 'generate', '--connector', url], {
        cwd: dir, env: cleanEnv({ HSM2KMS_HSM_PASSWORD: 'password' }), stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (b) => (stderr += b));
      const done = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, sig) => resolve([c, sig])));
      await requested;
      child.kill('SIGINT');
      const [code, signal] = await done;
      assert.deepEqual([code, signal], [null, 'SIGINT'], 'ends as an interrupted process (the shell shows 130)');
      assert.equal(stderr, '\nhsm2kms hsm generate: interrupted; run the same command again to finish (it re-checks the HSM and KMS first).\n');
    });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('--region without --kms says which flag is missing', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const r = await hsm2kms(['import', '--dry-run', '--region', 'eu-west-1'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(errorLine(r.stderr), 'hsm2kms import: kms: profile and region apply to AWS or an endpoint; add --kms aws or --kms URL (kms.target in a ceremony file). [BAD_CEREMONY_CONFIG]');
    assert.deepEqual(readdirSync(dir), []);
  });
});

test('a wrong HSM2KMS_HSM_PASSWORD on the embedded simulator says what its password is and what to unset (exit 4)', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const o = { cwd: dir, env: cleanEnv({ HSM2KMS_HSM_PASSWORD: 'my-real-hsm-password', HSM2KMS_CACHE_DIR: join(dir, '.cache') }) };
    const line = 'The embedded software YubiHSM 2\'s password is "password", not the one given; for a rehearsal unset HSM2KMS_HSM_PASSWORD and drop --password-file (or name the real HSM with --connector or --usb). [HSM_WRONG_PASSWORD]';
    let r = await hsm2kms(['import'], o);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(errorLine(r.stderr), `hsm2kms import: ${line}`);
    assert.doesNotMatch(r.stdout + r.stderr, /my-real-hsm-password/);
    r = await hsm2kms(['hsm', 'generate'], o);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(errorLine(r.stderr), `hsm2kms hsm generate: ${line}`);
  });
});
