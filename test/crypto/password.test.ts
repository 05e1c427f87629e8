import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordToKeys, passwordToKeysAsync } from '../../src/crypto/password.js';
import { UsageError } from '../../src/errors.js';
import { h, openssl, u, vectors } from '../session/helpers.js';

test("'password' gives libyubihsm's default K-ENC/K-MAC (PROTOCOL.md 3.1)", () => {
  const k = passwordToKeys('password');
  assert.equal(h(k.encKey), '090b47dbed595654901dee1cc655e420');
  assert.equal(h(k.macKey), '592fd483f759e29909a04c4505d2ce0a');
  assert.equal(h(k.encKey) + h(k.macKey), vectors.a_password_to_static_keys.pbkdf2_output);
});

test('async derivation and byte input give the same keys', async () => {
  const k = await passwordToKeysAsync(u(Buffer.from('password').toString('hex')));
  assert.equal(h(k.encKey), vectors.a_password_to_static_keys.K_ENC);
  assert.equal(h(k.macKey), vectors.a_password_to_static_keys.K_MAC);
});

test('a non-ASCII password is taken as UTF-8 and agrees with openssl PBKDF2', () => {
  const pw = 'pässwörd-✓ 2024';
  const k = passwordToKeys(pw);
  const out = openssl(['kdf', '-keylen', '32', '-kdfopt', 'digest:SHA256', '-kdfopt', `hexpass:${Buffer.from(pw, 'utf8').toString('hex')}`,
    '-kdfopt', 'salt:Yubico', '-kdfopt', 'iter:10000', 'PBKDF2']);
  assert.equal(h(k.encKey) + h(k.macKey), out.replace(/:/g, '').toLowerCase());
});

test('a password that is neither a string nor bytes is a UsageError', () => {
  assert.throws(() => passwordToKeys(42 as unknown as string), (e: unknown) =>
    e instanceof UsageError && e.code === 'BAD_PASSWORD' && e.message === 'The password must be a string or bytes.');
});
