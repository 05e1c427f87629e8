/**
 * A reader that goes away (`hsm2kms import | head`) does not crash hsm2kms with an unhandled EPIPE: the output is
 * dropped and the command ends as it would have, with its own exit code.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { cleanEnv, MAIN } from './steps-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'hsm2kms-epipe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('stdout closed by its reader: no crash, the exit code of the command', async () => {
  const isTs = MAIN.endsWith('.ts');
  const child = spawn(process.execPath, [...(isTs ? ['--import', 'tsx'] : []), MAIN, 'import', '--dry-run'], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
