import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { aesCmac } from '../../src/crypto/cmac.js';
import { constantTimeEqual } from '../../src/crypto/random.js';
import { UsageError } from '../../src/errors.js';
import { h, openssl, u } from '../session/helpers.js';

// RFC 4493 section 4, AES-128 test vectors.
const K = u('2b7e151628aed2a6abf7158809cf4f3c');
const M = u(
  '6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710',
);

test('AES-CMAC matches RFC 4493 examples 1-4', () => {
  assert.equal(h(aesCmac(K, M.subarray(0, 0))), 'bb1d6929e95937287fa37d129b756746');
  assert.equal(h(aesCmac(K, M.subarray(0, 16))), '070a16b46b4d4144f79bdd9dd04a287c');
  assert.equal(h(aesCmac(K, M.subarray(0, 40))), 'dfa66747de9ae63030ca32611497c827');
  assert.equal(h(aesCmac(K, M.subarray(0, 64))), '51f0bebf7e3b9d92fc49741779363cfe');
});

test('AES-CMAC over parts equals AES-CMAC over their concatenation', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 5 }), (key, parts) => {
      const whole = new Uint8Array(Buffer.concat(parts));
      assert.equal(h(aesCmac(key, ...parts)), h(aesCmac(key, whole)));
    }),
  );
});

test('AES-CMAC agrees with openssl for the block-boundary lengths 15, 16, 17, 31, 32, 33', () => {
  const key = u('000102030405060708090a0b0c0d0e0f');
  for (const n of [15, 16, 17, 31, 32, 33]) {
    const msg = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
    const ours = h(aesCmac(key, msg));
    const theirs = openssl(['mac', '-cipher', 'AES-128-CBC', '-macopt', `hexkey:${h(key)}`, 'CMAC'], msg).toLowerCase();
    assert.equal(ours, theirs, `length ${n}`);
  }
});

test('AES-CMAC rejects keys that are not 16, 24 or 32 bytes', () => {
  assert.throws(() => aesCmac(new Uint8Array(15), M), (e: unknown) =>
    e instanceof UsageError && e.code === 'BAD_KEY_LENGTH' && e.message === 'AES-CMAC needs a 16, 24 or 32-byte key, got 15 bytes.');
});

test('constantTimeEqual compares bytes and treats different lengths as unequal', () => {
  assert.equal(constantTimeEqual(u('0102'), u('0102')), true);
  assert.equal(constantTimeEqual(u('0102'), u('0103')), false);
  assert.equal(constantTimeEqual(u('0102'), u('010200')), false);
});
