/**
 * The HSM password: typed at a no-echo prompt (Backspace edits, Ctrl-C and Ctrl-D cancel, nothing typed is an
 * error, nothing typed is echoed), and, given in HSM2KMS_HSM_PASSWORD, used by hsm2kms but not passed on to the child
 * processes it starts: here the AWS SDK's credential_process, which writes down the environment it was given.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { obtainPassword } from '../../src/ceremony/password.js';
import { FACTORY_PASSWORD, HttpTargets, runCli, Sandbox } from '../ceremony/harness.js';

const sandbox = new Sandbox('hsm2kms-password-');
after(() => sandbox.close());

/** A terminal played by two streams: what is typed, and what the prompt writes. */
function terminal(): { input: NodeJS.ReadStream; output: PassThrough; shown: () => string; raw: boolean[] } {
  const input = new PassThrough() as unknown as NodeJS.ReadStream & PassThrough;
  const raw: boolean[] = [];
  Object.assign(input, { isRaw: false, setRawMode: (on: boolean) => { raw.push(on); return input; } });
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString('latin1')));
  return { input, output, shown: () => text, raw };
}

async function typed(keys: string): Promise<{ result: Promise<Uint8Array>; shown: () => string; raw: boolean[] }> {
  const t = terminal();
  const result = obtainPassword({ env: {}, tty: { input: t.input, output: t.output } }).then((r) => r.password);
  (t.input as unknown as PassThrough).write(Buffer.from(keys, 'latin1'));
  return { result, shown: t.shown, raw: t.raw };
}

describe('the password prompt', () => {
  it('reads one line in raw mode without echo; Backspace edits it', async () => {
    const t = await typed('pasx\x7fsword\r');
    assert.equal(Buffer.from(await t.result).toString('latin1'), 'password');
    assert.equal(t.shown(), 'HSM password: \n');
    assert.deepEqual(t.raw, [true, false], 'raw mode on while typing, restored after');
  });

  it('Ctrl-C and Ctrl-D cancel; an empty line is refused', async () => {
    for (const [keys, code] of [['pass\x03', 'INTERRUPTED'], ['\x04', 'INTERRUPTED'], ['\r', 'PASSWORD_EMPTY']] as const) {
      const t = await typed(keys);
      await assert.rejects(t.result, (e: Error & { code?: string }) => e.code === code);
      assert.equal(t.shown(), 'HSM password: \n', 'nothing typed is shown');
    }
  });
});

it('a password file named for the run wins over HSM2KMS_HSM_PASSWORD left in the shell; the variable over the embedded default', async () => {
  const dir = sandbox.dir('precedence');
  const file = join(dir, 'pw');
  writeFileSync(file, 'from-file\n', { mode: 0o600 });
  const env = { HSM2KMS_HSM_PASSWORD: 'from-env' };
  const both = await obtainPassword({ env, file, embeddedDefault: 'password' });
  assert.deepEqual([Buffer.from(both.password).toString(), both.source], ['from-file', 'file']);
  const envOnly = await obtainPassword({ env, embeddedDefault: 'password' });
  assert.deepEqual([Buffer.from(envOnly.password).toString(), envOnly.source], ['from-env', 'environment']);
  const neither = await obtainPassword({ env: {}, embeddedDefault: 'password' });
  assert.deepEqual([Buffer.from(neither.password).toString(), neither.source], ['password', 'embedded-default']);
});

it('HSM2KMS_HSM_PASSWORD is used but not inherited by child processes (the SDK\'s credential_process)', { timeout: 120_000 }, async () => {
  const targets = await HttpTargets.start(sandbox);
  try {
    const dir = sandbox.dir('child-env');
    const dump = join(dir, 'child-env.txt');
    const cred = targets.kmsServer.credentials[0];
    const answer = JSON.stringify({ Version: 1, AccessKeyId: cred.accessKeyId, SecretAccessKey: cred.secretAccessKey });
    const script = join(dir, 'credential-process.sh');
    writeFileSync(script, `#!/bin/sh\nenv > '${dump}'\necho '${answer}'\n`, { mode: 0o700 });
    const config = join(dir, 'aws-config');
    writeFileSync(config, `[profile dump]\nregion = us-east-1\ncredential_process = ${script}\n`);
    const env = sandbox.env({ AWS_CONFIG_FILE: config, HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
    const r = await runCli(['import', '--connector', targets.connector.url, '--kms', targets.kmsServer.url, '--profile', 'dump'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const childEnv = readFileSync(dump, 'utf8');
    assert.match(childEnv, /^AWS_CONFIG_FILE=/m, 'the credential process ran with hsm2kms\'s environment');
    assert.doesNotMatch(childEnv, /HSM2KMS_HSM_PASSWORD/);
    assert.ok(!childEnv.includes(`=${FACTORY_PASSWORD}\n`));
  } finally {
    await targets.close();
  }
});
