/**
 * The step and air-gap commands, like import, never write over a file they did not write: a user's file where
 * prepare, wrap, hsm pubkey or complete would write stops the command (before anything changes where the command
 * changes something) and is kept byte for byte. Files the commands wrote themselves are replaced on a re-run, and
 * kms params writes the wrapping key PEM again when it reuses parameters.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startKmsServer } from '../../src/kms/server/index.js';
import { ObjectType } from '../../src/protocol/object-types.js';
import { EmbeddedState, kmsClient } from '../ceremony/harness.js';
import { cleanEnv, errorLine, hsm2kms, ok, withTempDir } from './steps-helpers.js';

const MINE = 'my own file\n';

/** The key states in the embedded KMS of a work dir, read after the CLI has exited. */
async function embeddedKmsKeys(workDir: string): Promise<string[]> {
  const server = await startKmsServer({ host: '127.0.0.1', port: 0, dataDir: join(workDir, 'embedded', 'kms') });
  const kms = kmsClient(server.url, server.credentials[0]);
  try {
    return await Promise.all((await kms.listKeys()).map(async (k) => (await kms.describeKey(k.keyId)).keyState));
  } finally {
    kms.destroy();
    await server.close();
  }
}

const notOurs = (command: string, path: string) =>
  `hsm2kms ${command}: ${path} exists and was not written by this ceremony; move it away or choose another file name or --out (hsm2kms does not overwrite files it did not write). [OUTPUT_FILE_NOT_OURS]`;

test('prepare, wrap and complete keep the user\'s files; wrap checks --wrapping-key-sha256 is a SHA-256', { timeout: 240_000 }, async () => {
  await withTempDir(async (dir) => {
    const o = { cwd: dir, env: cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') }) };
    const online = ['--work-dir', 'online'];
    const offline = ['--work-dir', 'offline'];

    writeFileSync(join(dir, 'req.json'), MINE);
    let r = await hsm2kms(['prepare', ...online, 'req.json'], o);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(errorLine(r.stderr), notOurs('prepare', 'req.json'));
    assert.equal(readFileSync(join(dir, 'req.json'), 'utf8'), MINE);
    assert.deepEqual(await embeddedKmsKeys(join(dir, 'online')), [], 'no KMS key was created');

    await ok(['prepare', ...online, 'request.json'], o);
    await ok(['prepare', ...online, 'request.json'], o); // its own file: replaced on a re-run

    r = await hsm2kms(['wrap', ...offline, '--wrapping-key-sha256', 'zz', 'request.json', 'wrapped.json'], o);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(errorLine(r.stderr), 'hsm2kms wrap: --wrapping-key-sha256 must be the 64 hex digits hsm2kms prepare printed (the SHA-256 of the wrapping public key); copy it whole. [CLI_BAD_FINGERPRINT]');

    writeFileSync(join(dir, 'wrapped.json'), MINE);
    r = await hsm2kms(['wrap', ...offline, 'request.json', 'wrapped.json'], o);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(errorLine(r.stderr), notOurs('wrap', 'wrapped.json'));
    assert.equal(readFileSync(join(dir, 'wrapped.json'), 'utf8'), MINE);
    const hsmState = await EmbeddedState.open(join(dir, 'offline'));
    try {
      const { session, close } = await hsmState.session();
      assert.deepEqual(await session.listObjects({ type: ObjectType.ASYMMETRIC_KEY }), [], 'no key was generated in the HSM');
      await close();
    } finally {
      await hsmState.close();
    }
    rmSync(join(dir, 'wrapped.json'));
    await ok(['wrap', ...offline, 'request.json', 'wrapped.json'], o);

    // The README's case: the user's own message-aws.txt where complete writes the evidence.
    writeFileSync(join(dir, 'hsm2kms-out', 'message-aws.txt'), MINE);
    r = await hsm2kms(['complete', ...online, 'wrapped.json'], o);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(errorLine(r.stderr), `hsm2kms complete: ${join('hsm2kms-out', 'message-aws.txt')} exists and was not written by this ceremony; move it away or choose another --out (hsm2kms does not overwrite files it did not write). [OUTPUT_FILE_NOT_OURS]`);
    assert.equal(readFileSync(join(dir, 'hsm2kms-out', 'message-aws.txt'), 'utf8'), MINE);
    assert.deepEqual(await embeddedKmsKeys(join(dir, 'online')), ['PendingImport'], 'nothing was imported');
    rmSync(join(dir, 'hsm2kms-out', 'message-aws.txt'));
    await ok(['complete', ...online, 'wrapped.json'], o);
  });
});

test('seed steps: hsm pubkey keeps a user\'s file; kms params writes the PEM again when it reuses parameters', { timeout: 240_000 }, async () => {
  await withTempDir(async (dir) => {
    const o = { cwd: dir, env: cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') }) };
    await ok(['hsm', 'generate'], o);
    writeFileSync(join(dir, 'key0x100.pub'), MINE);
    const r = await hsm2kms(['hsm', 'pubkey', 'key0x100.pub'], o);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(errorLine(r.stderr), notOurs('hsm pubkey', 'key0x100.pub'));
    assert.equal(readFileSync(join(dir, 'key0x100.pub'), 'utf8'), MINE);
    rmSync(join(dir, 'key0x100.pub'));
    await ok(['hsm', 'pubkey', 'key0x100.pub'], o);
    await ok(['hsm', 'pubkey', 'key0x100.pub'], o); // its own file: replaced

    await ok(['kms', 'create'], o);
    await ok(['kms', 'params'], o);
    const pem = readFileSync(join(dir, 'wrappingkey-aws.pem'), 'utf8');
    rmSync(join(dir, 'wrappingkey-aws.pem'));
    const again = await ok(['kms', 'params'], o);
    assert.match(again.stdout, /reusing parameters/);
    assert.equal(readFileSync(join(dir, 'wrappingkey-aws.pem'), 'utf8'), pem, 'the PEM of the reused parameters is written again');
  });
});
