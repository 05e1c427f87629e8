/**
 * runCeremony({ password: bytes }) wipes the bytes after use: after a finished ceremony, and also when it stops
 * before the HSM is opened (an invalid configuration, a held lock).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { defaultConfig } from '../../src/ceremony/config.js';
import { runCeremony } from '../../src/ceremony/runner.js';
import { Sandbox } from './harness.js';

const sandbox = new Sandbox('hsm2kms-password-bytes-');
after(() => sandbox.close());

const zero = (b: Uint8Array) => b.every((x) => x === 0);

it('wiped when the ceremony stops before opening the HSM, and after a finished one', async () => {
  const dir = sandbox.dir('run');
  const config = defaultConfig();
  config.workDir = join(dir, '.hsm2kms');
  config.outDir = join(dir, 'out');
  config.key.id = 0; // not a valid object id: refused before any target is opened

  const early = new TextEncoder().encode('password');
  await assert.rejects(runCeremony({ config, env: sandbox.env(), password: early }), { code: 'BAD_CEREMONY_CONFIG', message: /^key\.id: Key id "0" is not valid; use a number from 1 to 0xfffe/ });
  assert.ok(zero(early), 'wiped after an early refusal');

  config.key.id = 0x100;
  const used = new TextEncoder().encode('password');
  const result = await runCeremony({ config, env: sandbox.env(), password: used });
  assert.equal(result.ok, true);
  assert.ok(zero(used), 'wiped after a finished ceremony');
});
