/**
 * `hsm2kms import` never overwrites a file in --out that it did not write: the seed's file names (message-aws.txt,
 * key0x100.pub, ...) are common, and an earlier ceremony's evidence or the user's own message must survive. The
 * refusal comes in pre-flight (exit 4, nothing changed); the ceremony's own files are rewritten freely on re-runs.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runCli, Sandbox } from '../ceremony/harness.js';

const sandbox = new Sandbox('hsm2kms-import-outputs-');
after(() => sandbox.close());

it('a file in --out that the ceremony did not write is refused, then the ceremony runs and re-runs over its own', { timeout: 120_000 }, async () => {
  const dir = sandbox.dir('outputs');
  const out = join(dir, 'hsm2kms-out');
  mkdirSync(out);
  writeFileSync(join(out, 'message-aws.txt'), 'my own message\n');

  const refused = await runCli(['import'], { cwd: dir, env: sandbox.env() });
  assert.equal(refused.code, 4, refused.stdout + refused.stderr);
  assert.equal(refused.stderr, 'hsm2kms import: hsm2kms-out/message-aws.txt exists and was not written by this ceremony; move it away or choose another --out (hsm2kms does not overwrite files it did not write). [OUTPUT_FILE_NOT_OURS]\n');
  assert.equal(readFileSync(join(out, 'message-aws.txt'), 'utf8'), 'my own message\n');
  assert.ok(!existsSync(join(out, 'key0x100.pub')), 'nothing was written');

  // Another --out works, and so does every re-run, which rewrites the ceremony's own files (a new transcript).
  const first = await runCli(['import', '--out', 'evidence'], { cwd: dir, env: sandbox.env() });
  assert.equal(first.code, 0, first.stderr);
  const transcript = readFileSync(join(dir, 'evidence', 'transcript.json'), 'utf8');
  const again = await runCli(['import', '--out', 'evidence', '--message', 'another message\n'], { cwd: dir, env: sandbox.env() });
  assert.equal(again.code, 0, again.stderr);
  assert.notEqual(readFileSync(join(dir, 'evidence', 'transcript.json'), 'utf8'), transcript);
  assert.equal(readFileSync(join(dir, 'evidence', 'message-aws.txt'), 'utf8'), 'another message\n');

  // A file edited by hand since is no longer the ceremony's.
  writeFileSync(join(dir, 'evidence', 'key0x100.pub'), 'edited\n');
  const edited = await runCli(['import', '--out', 'evidence'], { cwd: dir, env: sandbox.env() });
  assert.equal(edited.code, 4);
  assert.match(edited.stderr, /^hsm2kms import: evidence\/key0x100\.pub exists and was not written by this ceremony; .* \[OUTPUT_FILE_NOT_OURS\]\n$/);
});
