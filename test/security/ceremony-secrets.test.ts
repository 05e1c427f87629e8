/**
 * Where the secrets of a ceremony end up, from the outside: `hsm2kms import` is run as a child process (umask 0, so
 * that no mode below comes from a restrictive umask) with a known HSM password on an auth key made for it, and every
 * file it wrote (work dir, out dir, HOME, the wrapping-key cache), its stdout and stderr (--json and human), its argv
 * and its environment are searched for the password (UTF-8, hex, base64), the K-ENC/K-MAC derived from it, and the
 * HSM key's private or secret material. Also: files holding state are 0600 in 0700 directories, and no temp file of
 * an atomic write is left behind. Derived keys are computed here with node:crypto's PBKDF2 (PROTOCOL.md 3.1).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { pbkdf2Sync } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuthenticationKey } from '../../src/client/index.js';
import { ObjectType } from '../../src/protocol/object-types.js';
import { CLI, HttpTargets, listFiles, Sandbox } from '../ceremony/harness.js';

const sandbox = new Sandbox('hsm2kms-security-');
let oldUmask = 0;
before(() => {
  oldUmask = process.umask(0);
});
after(() => {
  process.umask(oldUmask);
  sandbox.close();
});

// Not ASCII, so a wrong encoding of the password would also be looked for under its UTF-8 bytes.
const PASSWORD = 'Sëcret-HSM-pw-7c41d9e2';
const PASSWORD_BYTES = Buffer.from(PASSWORD, 'utf8');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  argv: string;
  environ: string;
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let argv = '';
    let environ = '';
    child.on('spawn', () => {
      argv = readFileSync(`/proc/${child.pid}/cmdline`, 'latin1');
      environ = readFileSync(`/proc/${child.pid}/environ`, 'latin1');
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, argv, environ }));
  });
}

/** A secret as raw bytes, lowercase and uppercase hex, and base64 (padded and unpadded) and base64url. */
function encodings(name: string, secret: Uint8Array): Array<[string, Buffer]> {
  const b = Buffer.from(secret);
  const b64 = b.toString('base64');
  return [
    [`${name} (raw)`, b],
    [`${name} (hex)`, Buffer.from(b.toString('hex'))],
    [`${name} (HEX)`, Buffer.from(b.toString('hex').toUpperCase())],
    [`${name} (base64)`, Buffer.from(b64.replace(/=+$/, ''))],
    [`${name} (base64url)`, Buffer.from(b.toString('base64url'))],
  ];
}

function passwordSecrets(): Array<[string, Buffer]> {
  const dk = pbkdf2Sync(PASSWORD_BYTES, 'Yubico', 10_000, 32, 'sha256');
  return [...encodings('password', PASSWORD_BYTES), ...encodings('K-ENC', dk.subarray(0, 16)), ...encodings('K-MAC', dk.subarray(16, 32))];
}

/** Every place a run may have put something: its outputs, argv, environment and every file under `dirs`. */
function places(r: Run, dirs: string[]): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [
    ['stdout', Buffer.from(r.stdout)], ['stderr', Buffer.from(r.stderr)], ['argv', Buffer.from(r.argv, 'latin1')], ['environ', Buffer.from(r.environ, 'latin1')],
  ];
  for (const d of dirs) for (const f of listFiles(d)) out.push([join(d, f), readFileSync(join(d, f))]);
  return out;
}

function assertNowhere(where: Array<[string, Buffer]>, secrets: Array<[string, Buffer]>): void {
  for (const [place, content] of where) {
    for (const [what, bytes] of secrets) assert.equal(content.indexOf(bytes), -1, `${what} found in ${place}`);
  }
}

const mode = (p: string) => statSync(p).mode & 0o777;

/** Everything in the work dir: directories 0700, files 0600; no temp file of an atomic write left anywhere. */
function assertWorkDirPrivate(workDir: string, outDir: string): void {
  assert.equal(mode(workDir), 0o700, workDir);
  for (const f of listFiles(workDir)) {
    assert.equal(mode(join(workDir, f)), 0o600, f);
    let dir = join(workDir, f, '..');
    while (dir.startsWith(workDir) && dir !== workDir) {
      assert.equal(mode(dir), 0o700, dir);
      dir = join(dir, '..');
    }
  }
  for (const d of [workDir, outDir]) assert.deepEqual(listFiles(d).filter((f) => /\.tmp$/.test(f)), [], `temp files in ${d}`);
}

async function operatorAuthKey(targets: HttpTargets): Promise<void> {
  const { session, close } = await targets.session();
  try {
    await AuthenticationKey.putDerived(session, {
      id: 2, label: 'security operator', domains: 'all', password: PASSWORD, capabilities: 'all', delegatedCapabilities: 'all',
    });
  } finally {
    await close();
  }
}

function material(targets: HttpTargets, type: number, id: number): Uint8Array {
  const o = [...targets.device.state.contents.objects.values()].find((x) => x.type === type && x.id === id);
  assert.ok(o, `object ${type}/${id} on the device (${[...targets.device.state.contents.objects.values()].map((x) => `${x.type}/${x.id}`).join(" ")})`);
  return o.material;
}

describe('secrets of a ceremony over HTTP targets (child process, umask 0)', () => {
  it('--password-file, ECC_NIST_P256, --json: no password, derived key or private key in any output, file, argv or environment', { timeout: 180_000 }, async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      await operatorAuthKey(targets);
      const secretDir = sandbox.dir('pwfile');
      const pwFile = join(secretDir, 'hsm-password');
      writeFileSync(pwFile, PASSWORD + '\n', { mode: 0o600 });
      const dir = sandbox.dir('p256');
      const r = await run(['import', '--json', ...targets.args(), '--auth-key', '2', '--password-file', pwFile], dir, sandbox.env(targets.kmsEnv()));
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(r.stdout.split('\n').filter(Boolean).every((l) => JSON.parse(l)), 'stdout is JSON lines');
      const key = material(targets, ObjectType.ASYMMETRIC_KEY, 0x100);
      assertNowhere(places(r, [dir, sandbox.cacheDir, sandbox.home]), [...passwordSecrets(), ...encodings('private key', key)]);
      assertWorkDirPrivate(join(dir, '.hsm2kms'), join(dir, 'hsm2kms-out'));
      assert.equal(mode(join(dir, 'hsm2kms-out', 'key0x100-wrapped-aws.bin')), 0o600);
    } finally {
      await targets.close();
    }
  });

  it('HSM2KMS_HSM_PASSWORD, SYMMETRIC_DEFAULT (KMS round trip and re-import): no password, derived key or AES key anywhere', { timeout: 180_000 }, async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      await operatorAuthKey(targets);
      const dir = sandbox.dir('aes');
      const args = ['import', ...targets.args(), '--auth-key', '2', '--key-spec', 'SYMMETRIC_DEFAULT', '--key-id', '0x200', '--alias', 'alias/aes0x200'];
      const r = await run(args, dir, sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: PASSWORD }));
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const key = material(targets, ObjectType.SYMMETRIC_KEY, 0x200);
      assert.equal(key.length, 32);
      // The environment it was started with holds the password (that is how it was given); nothing else does.
      assert.ok(Buffer.from(r.environ, 'latin1').includes(Buffer.from(`HSM2KMS_HSM_PASSWORD=${PASSWORD}`)));
      const where = places({ ...r, environ: '' }, [dir, sandbox.cacheDir, sandbox.home]);
      assertNowhere(where, [...passwordSecrets(), ...encodings('AES key', key)]);
      assertWorkDirPrivate(join(dir, '.hsm2kms'), join(dir, 'hsm2kms-out'));
    } finally {
      await targets.close();
    }
  });

  it('failures name no secret: a wrong password, a password file others can read, --password=VALUE', { timeout: 120_000 }, async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      await operatorAuthKey(targets);
      const wrong = 'Wrong-pw-0f6b2a';
      const secretDir = sandbox.dir('bad-pwfiles');
      const wrongFile = join(secretDir, 'wrong');
      writeFileSync(wrongFile, wrong + '\n', { mode: 0o600 });
      const openFile = join(secretDir, 'open');
      writeFileSync(openFile, PASSWORD + '\n', { mode: 0o644 });
      const env = sandbox.env(targets.kmsEnv());
      const cases: Array<[string[], string, RegExp]> = [
        [['--password-file', wrongFile], 'HSM_WRONG_PASSWORD', /password/],
        [['--password-file', openFile], 'PASSWORD_FILE_MODE', /chmod 600/],
        [[`--password=${PASSWORD}`], 'CLI_PASSWORD_ON_COMMAND_LINE', /never goes on the command line/],
      ];
      for (const [extra, code, text] of cases) {
        for (const json of [false, true]) {
          const dir = sandbox.dir('fail');
          const r = await run(['import', ...(json ? ['--json'] : []), ...targets.args(), '--auth-key', '2', ...extra], dir, env);
          assert.notEqual(r.code, 0, `${code}: ${r.stdout}${r.stderr}`);
          assert.match(r.stdout + r.stderr, new RegExp(code));
          assert.match(r.stdout + r.stderr, text);
          const secrets = [...passwordSecrets(), ...encodings('wrong password', Buffer.from(wrong))];
          // argv of the --password=VALUE case holds the value (the user put it there); the refusal must not repeat it.
          assertNowhere(places({ ...r, argv: '' }, [dir, sandbox.cacheDir, sandbox.home]), secrets);
        }
      }
    } finally {
      await targets.close();
    }
  });
});

describe('secrets of the embedded ceremony (child process, umask 0)', () => {
  it('SYMMETRIC_DEFAULT on the embedded targets: state files 0600 in 0700 dirs (device state, KMS SQLite, cache), --json output clean', { timeout: 180_000 }, async () => {
    const dir = sandbox.dir('embedded');
    const r = await run(['import', '--json', '--key-spec', 'SYMMETRIC_DEFAULT'], dir, sandbox.env());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const work = join(dir, '.hsm2kms');
    assertWorkDirPrivate(work, join(dir, 'hsm2kms-out'));
    const kmsFiles = listFiles(join(work, 'embedded', 'kms'));
    assert.ok(kmsFiles.includes('kms.sqlite'), kmsFiles.join(', '));
    assert.equal(mode(sandbox.cacheDir), 0o700);
    for (const f of listFiles(sandbox.cacheDir)) assert.equal(mode(join(sandbox.cacheDir, f)), 0o600, f);
    // The embedded device's factory password and the AES key: in the device state file and the KMS store only
    // (a simulation keeps its keys in plain files), never in the journal, transcript, outputs or the JSON lines.
    const state = JSON.parse(readFileSync(join(work, 'embedded', 'hsm-state.json'), 'utf8')) as { objects: Array<{ type: number; id: number; material: string }> };
    const aes = Buffer.from(state.objects.find((o) => o.type === ObjectType.SYMMETRIC_KEY && o.id === 0x100)!.material, 'hex');
    assert.equal(aes.length, 32);
    const dk = pbkdf2Sync('password', 'Yubico', 10_000, 32, 'sha256');
    const secrets = [...encodings('AES key', aes), ...encodings('K-ENC', dk.subarray(0, 16)), ...encodings('K-MAC', dk.subarray(16, 32))];
    const where = places(r, [join(dir, 'hsm2kms-out'), sandbox.cacheDir]);
    where.push(['journal.json', readFileSync(join(work, 'journal.json'))]);
    assertNowhere(where, secrets);
  });
});
