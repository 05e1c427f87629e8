/**
 * The air-gapped split's guard against a request swapped on the way to the offline machine: prepare prints the
 * wrapping public key's SHA-256, and wrap --wrapping-key-sha256 refuses (exit 4, before the HSM is touched) a request
 * whose wrapping key has another one; with the right one it wraps and says so.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { cleanEnv, hsm2kms, ok } from './steps-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'hsm2kms-split-fp-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('wrap --wrapping-key-sha256 refuses a request with another wrapping key and accepts the expected one', { timeout: 120_000 }, async () => {
  const o = { cwd: dir, env: cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') }) };
  const prep = await ok(['prepare', '--work-dir', 'online', 'request.json'], o);
  const printed = /^wrapping public key SHA-256 ([0-9a-f]{64}): carry it apart from the request/m.exec(prep.stdout)?.[1];
  assert.ok(printed, prep.stdout);
  const request = JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8'));
  const der = Buffer.from(request.importParameters.wrappingPublicKey.base64, 'base64');
  assert.equal(printed, createHash('sha256').update(der).digest('hex'), 'the SHA-256 of the DER wrapping key in the request');

  const offline = ['--work-dir', 'offline', '--out', 'usb'];
  const other = 'ab'.repeat(32);
  const refused = await hsm2kms(['wrap', ...offline, 'request.json', '--wrapping-key-sha256', other], o);
  assert.equal(refused.code, 4, refused.stderr);
  assert.match(refused.stderr, new RegExp(`^hsm2kms wrap: The wrapping public key in request\\.json has SHA-256 ${printed}, not ${other}; do not wrap the key for it: .* \\[WRAPPING_KEY_NOT_EXPECTED\\]$`, 'm'));
  assert.equal(refused.stdout, '');
  assert.ok(!existsSync(join(dir, 'usb', 'wrapped-key.json')));

  const wrapped = await ok(['wrap', ...offline, 'request.json', '--wrapping-key-sha256', printed.toUpperCase()], o);
  assert.match(wrapped.stdout, new RegExp(`^wrapping public key SHA-256 ${printed}, as expected$`, 'm'));
  assert.match(wrapped.stdout, /^generated 0x0100 with sign-ecdsa,exportable-under-wrap$/m);
  assert.ok(existsSync(join(dir, 'usb', 'wrapped-key.json')));
});
