/**
 * `hsm2kms hsm serve --state FILE`: one server per state file. Two servers on one file would each keep their own
 * device in memory and the last to write would erase the other's keys, so the second is refused; the lock goes with
 * Ctrl-C, and one left by a killed server (kill -9) does not block the next start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, MAIN, runServe, withTempDir } from './steps-helpers.js';

const isTs = import.meta.url.endsWith('.ts');

type Child = ChildProcessByStdio<null, Readable, Readable>;


interface Server {
  child: Child;
  serial: string;
  stdout: () => string;
  done: Promise<[number | null, NodeJS.Signals | null]>;
}

/** Starts `hsm serve` on port 0 and waits for its banner; fails with its output if it exits first. */
async function startServer(dir: string, state: string): Promise<Server> {
  const child = spawn(process.execPath, [...(isTs ? ['--import', 'tsx'] : []), MAIN, 'hsm', 'serve', '--listen', '127.0.0.1:0', '--state', state], {
    cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  const done = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, sig) => resolve([c, sig])));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (b) => {
      stdout += b;
      if (stdout.includes('Use with:')) resolve();
    });
    void done.then(([code]) => reject(new Error(`hsm serve exited ${code} before its banner\nstdout: ${stdout}\nstderr: ${stderr}`)));
  });
  const serial = /serial (\d+)\)/.exec(stdout)?.[1];
  assert.ok(serial, stdout);
  return { child, serial, stdout: () => stdout, done };
}

test('hsm serve: a second server on the same --state file is refused; the lock goes on Ctrl-C and after kill -9', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    const first = await startServer(dir, 'same.json');
    try {
      assert.match(first.stdout(), /^Factory state: /m);
      assert.equal(readFileSync(join(dir, 'same.json.lock'), 'utf8'), `${first.child.pid}\n`);

      // A second server on the same file: one line, exit 2, and the first server's lock and state untouched.
      const stateBefore = readFileSync(join(dir, 'same.json'), 'utf8');
      const r = await runServe(['hsm', 'serve', '--listen', '127.0.0.1:0', '--state', 'same.json'], dir);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `hsm2kms hsm serve: The simulator state file same.json is in use by another hsm2kms hsm serve (pid ${first.child.pid}): stop that server or choose another --state file (if none is running, remove same.json.lock). [SIM_STATE_IN_USE]\n`);
      assert.equal(readFileSync(join(dir, 'same.json.lock'), 'utf8'), `${first.child.pid}\n`);
      assert.equal(readFileSync(join(dir, 'same.json'), 'utf8'), stateBefore);
      // The same file named another way is the same lock.
      const r2 = await runServe(['hsm', 'serve', '--listen', '127.0.0.1:0', '--state', './same.json'], dir);
      assert.equal(r2.code, 2, r2.stderr);
      assert.match(r2.stderr, /\[SIM_STATE_IN_USE\]\n$/);
    } finally {
      first.child.kill('SIGINT');
    }
    assert.deepEqual(await first.done, [0, null]);
    assert.match(first.stdout(), /\nStopped; state saved in same\.json\.\n$/);
    assert.equal(existsSync(join(dir, 'same.json.lock')), false, 'Ctrl-C releases the lock');

    // Restart after Ctrl-C: the same device, restored.
    const second = await startServer(dir, 'same.json');
    second.child.kill('SIGKILL');
    assert.match(second.stdout(), /^Restored from the state file\.$/m);
    assert.equal(second.serial, first.serial);
    assert.deepEqual(await second.done, [null, 'SIGKILL']);
    assert.equal(readFileSync(join(dir, 'same.json.lock'), 'utf8'), `${second.child.pid}\n`, 'kill -9 leaves its lock behind');

    // Restart after kill -9: the stale lock (its pid no longer runs) is taken over.
    const third = await startServer(dir, 'same.json');
    try {
      assert.equal(third.serial, first.serial);
      assert.equal(readFileSync(join(dir, 'same.json.lock'), 'utf8'), `${third.child.pid}\n`);
    } finally {
      third.child.kill('SIGTERM');
    }
    assert.deepEqual(await third.done, [0, null]);
    assert.deepEqual(readdirSync(dir), ['same.json'], 'no lock or temp file is left');
  });
});

test('hsm serve without --state takes no lock; two in-memory servers run side by side', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const start = (): Child => spawn(process.execPath, [...(isTs ? ['--import', 'tsx'] : []), MAIN, 'hsm', 'serve', '--listen', '127.0.0.1:0'], {
      cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'],
    });
    const banner = (c: Child): Promise<void> => new Promise<void>((resolve, reject) => {
      let out = '';
      c.stdout.on('data', (b) => {
        out += b;
        if (out.includes('Use with:')) resolve();
      });
      c.on('close', (code) => reject(new Error(`exited ${code}`)));
    });
    const a = start();
    const b = start();
    const closed = [a, b].map((c) => new Promise<number | null>((resolve) => c.on('close', resolve)));
    try {
      await Promise.all([banner(a), banner(b)]);
    } finally {
      a.kill('SIGINT');
      b.kill('SIGINT');
    }
    assert.deepEqual(await Promise.all(closed), [0, 0]);
    assert.deepEqual(readdirSync(dir), []);
  });
});
