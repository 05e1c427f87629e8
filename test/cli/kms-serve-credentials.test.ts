/**
 * `hsm2kms kms serve --credentials FILE`: the file holds secret access keys, so (as the HSM password file) one that
 * the group or others can open is refused with the chmod to run, and no error repeats the file's content.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, MAIN, runServe, withTempDir } from './steps-helpers.js';

const isTs = import.meta.url.endsWith('.ts');


const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz';

test('kms serve refuses a --credentials file readable by group or others, with the chmod to run', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'creds.json');
    writeFileSync(file, JSON.stringify([{ accessKeyId: 'AKIAFAKEFAKEFAKE0001', secretAccessKey: SECRET, accountId: '111122223333' }]));
    for (const mode of [0o644, 0o640, 0o604]) {
      chmodSync(file, mode);
      const r = await runServe(['kms', 'serve', '--listen', '127.0.0.1:0', '--credentials', 'creds.json'], dir);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `hsm2kms kms serve: --credentials creds.json holds secret access keys but has mode 0${mode.toString(8)} (open to group or others); run: chmod 600 creds.json [CLI_CREDENTIALS_FILE_MODE]\n`);
    }
  });
});

test('kms serve: a 0600 --credentials file that is not JSON is one line that does not repeat the secret', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'creds.json');
    // A trailing comma: JSON.parse's own message would quote the text around it, secret included.
    writeFileSync(file, `[{"accessKeyId": "AKIAFAKEFAKEFAKE0001", "secretAccessKey": "${SECRET}", "accountId": "111122223333"},]`, { mode: 0o600 });
    chmodSync(file, 0o600);
    const r = await runServe(['kms', 'serve', '--listen', '127.0.0.1:0', '--credentials', 'creds.json'], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^hsm2kms kms serve: --credentials creds\.json is not valid JSON( \(at position \d+\))?; it must hold a JSON array of \{"accessKeyId", "secretAccessKey", "accountId"\} objects\. \[CLI_BAD_CREDENTIALS_FILE\]\n$/);
    assert.doesNotMatch(r.stderr, /SECRET|wJalrXUtnFEMI/);
    assert.doesNotMatch(r.stderr, /AKIAFAKE/);
  });
});

test('kms serve starts with a 0600 --credentials file and does not print its secret', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'creds.json');
    writeFileSync(file, JSON.stringify([{ accessKeyId: 'AKIAFAKEFAKEFAKE0001', secretAccessKey: SECRET, accountId: '111122223333' }]), { mode: 0o600 });
    chmodSync(file, 0o600);
    const child = spawn(process.execPath, [...(isTs ? ['--import', 'tsx'] : []), MAIN, 'kms', 'serve', '--listen', '127.0.0.1:0', '--credentials', 'creds.json'], {
      cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (b) => {
          stdout += b;
          if (stdout.includes('Use with:')) resolve();
        });
        void done.then((code) => reject(new Error(`kms serve exited ${code}: ${stderr}`)));
      });
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await done, 0, stderr);
    assert.match(stdout, /^  AKIAFAKEFAKEFAKE0001  \(from the credentials file\)  account 111122223333$/m);
    assert.doesNotMatch(stdout + stderr, /SECRET/);
  });
});
