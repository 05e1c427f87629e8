/**
 * `hsm2kms hsm serve` as a real process: prints the URL and the simulator notice, answers the connector API,
 * keeps keys in the --state file across a restart (flushed on SIGTERM), refuses non-loopback addresses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capabilities as caps } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { SecureChannel } from '../../src/session/index.js';
import { connectHttpConnector } from '../../src/transport/http-connector.js';
import { saveStateFile } from '../../src/simulator/persistence.js';
import { hex, keysFor, newDevice, unhex, withTempDir } from './helpers.js';

const isTs = import.meta.url.endsWith('.ts');
const main = fileURLToPath(new URL(`../../src/cli/main.${isTs ? 'ts' : 'js'}`, import.meta.url));

function startCli(args: string[]): { child: ChildProcessWithoutNullStreams; firstLines: Promise<string>; exit: Promise<number | null>; out: () => string; err: () => string } {
  const child = spawn(process.execPath, [...(isTs ? ['--import', 'tsx'] : []), main, 'hsm', 'serve', ...args], { stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stderr.on('data', (b) => (err += b));
  const firstLines = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (b) => {
      out += b;
      if (out.includes('Use with:')) resolve(out);
    });
    child.on('exit', () => reject(new Error(`hsm serve exited early: ${out} ${err}`)));
  });
  firstLines.catch(() => undefined); // awaited only by callers that expect the server to start
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, firstLines, exit, out: () => out, err: () => err };
}

async function withServer<T>(args: string[], f: (url: string, banner: string) => Promise<T>): Promise<{ result: T; code: number | null; out: string }> {
  const cli = startCli(args);
  try {
    const banner = await cli.firstLines;
    const url = /at (http:\/\/\S+)/.exec(banner)![1];
    const result = await f(url, banner);
    cli.child.kill('SIGTERM');
    const code = await cli.exit;
    return { result, code, out: cli.out() };
  } finally {
    if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  }
}

test('hsm serve: notice, connector API, keys kept in the state file across a restart', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const state = join(dir, 'hsm.json');
    const first = await withServer(['--listen', '127.0.0.1:0', '--state', state, '--serial', '7550317'], async (url, banner) => {
      assert.match(banner, /simulator for rehearsal and tests, not an HSM/);
      assert.match(banner, /serial 7550317/);
      const t = await connectHttpConnector({ url });
      try {
        assert.equal(t.status?.status, 'OK');
        const info = await t.send(unhex('060000'));
        assert.equal(hex(info.subarray(0, 10)), '86004002040000' + '73356d', 'firmware 2.4.0, serial 7550317 = 0x0073356d');
        const ch = SecureChannel.hostSymmetric({ authKeyId: 1, keys: keysFor('password') });
        await ch.handshake((f) => t.send(f));
        const gen = commands.generateAsymmetricKey;
        const inner = new Uint8Array([gen.code, 0, 53, ...gen.encodeRequest({ id: 0x42, label: 'kept', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 12 })]);
        assert.equal(hex(ch.unwrapResponse(await t.send(ch.wrapCommand(inner)))), 'c600020042');
        const pk = commands.getPublicKey;
        const pub = ch.unwrapResponse(await t.send(ch.wrapCommand(new Uint8Array([pk.code, 0, 2, 0x00, 0x42]))));
        return hex(pub);
      } finally {
        await t.close();
      }
    });
    assert.equal(first.code, 0);
    assert.match(first.out, /state saved/);
    assert.equal(statSync(state).mode & 0o777, 0o600);

    const second = await withServer(['--listen', '127.0.0.1:0', '--state', state], async (url, banner) => {
      assert.match(banner, /Restored from the state file/);
      const t = await connectHttpConnector({ url });
      try {
        const ch = SecureChannel.hostSymmetric({ authKeyId: 1, keys: keysFor('password') });
        await ch.handshake((f) => t.send(f));
        return hex(ch.unwrapResponse(await t.send(ch.wrapCommand(unhex('5400020042')))));
      } finally {
        await t.close();
      }
    });
    assert.equal(second.code, 0);
    assert.equal(second.result, first.result, 'the same public key after the restart');
  });
});

test('hsm serve refuses a non-loopback address without --allow-remote, and a mismatched --serial', async () => {
  const cli = startCli(['--listen', '0.0.0.0:0']);
  assert.equal(await cli.exit, 2);
  assert.match(cli.err(), /not a loopback address.*--allow-remote.*\[CLI_REMOTE_LISTEN\]/);
  await withTempDir(async (dir) => {
    const state = join(dir, 's.json');
    saveStateFile(state, newDevice({ serial: 5 }).state);
    const mismatch = startCli(['--listen', '127.0.0.1:0', '--state', state, '--serial', '6']);
    assert.equal(await mismatch.exit, 2);
    assert.match(mismatch.err(), /\[CLI_SERIAL_MISMATCH\]/);
  });
  const help = spawn(process.execPath, [...(isTs ? ['--import', 'tsx'] : []), main, 'hsm', 'serve', '--help']);
  let text = '';
  help.stdout.on('data', (b) => (text += b));
  await new Promise((r) => help.on('exit', r));
  assert.match(text, /SIMULATOR FOR REHEARSAL AND TESTS, NOT AN HSM/);
});
