import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { aesCbcDecrypt, aesCbcEncrypt, aesEcbEncrypt, padIso9797M2, unpadIso9797M2 } from '../../src/crypto/aes.js';
import { ProtocolError, UsageError } from '../../src/errors.js';
import { h, u } from '../session/helpers.js';

// NIST SP 800-38A appendix F.1.1 (ECB-AES128) and F.2.1 (CBC-AES128).
const KEY = u('2b7e151628aed2a6abf7158809cf4f3c');
const PT = u('6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710');
const IV = u('000102030405060708090a0b0c0d0e0f');
const CBC_CT = u('7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2 73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7');
const ECB_CT = u('3ad77bb40d7a3660a89ecaf32466ef97 f5d3d58503b9699de785895a96fdbaaf 43b1cd7f598ece23881b00e3ed030688 7b0c785e27e8ad3f8223207104725dd4');

test('AES-128-ECB and CBC match NIST SP 800-38A F.1.1 and F.2.1', () => {
  assert.equal(h(aesEcbEncrypt(KEY, PT)), h(ECB_CT));
  assert.equal(h(aesCbcEncrypt(KEY, IV, PT)), h(CBC_CT));
  assert.equal(h(aesCbcDecrypt(KEY, IV, CBC_CT)), h(PT));
});

test('CBC decrypt inverts encrypt for any whole-block input', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 8 }), (k, iv, blocks) => {
      const data = Uint8Array.from({ length: blocks * 16 }, (_, i) => (i * 7) & 0xff);
      assert.equal(h(aesCbcDecrypt(k, iv, aesCbcEncrypt(k, iv, data))), h(data));
    }),
  );
});

test('ISO 9797-1 method 2 padding adds 1..16 bytes: 15 → 16, 16 → 32, 17 → 32', () => {
  assert.equal(h(padIso9797M2(new Uint8Array(15).fill(0xaa))), 'aa'.repeat(15) + '80');
  assert.equal(h(padIso9797M2(new Uint8Array(16).fill(0xaa))), 'aa'.repeat(16) + '80' + '00'.repeat(15));
  assert.equal(h(padIso9797M2(new Uint8Array(17).fill(0xaa))), 'aa'.repeat(17) + '80' + '00'.repeat(14));
  assert.equal(h(padIso9797M2(new Uint8Array(0))), '80' + '00'.repeat(15));
});

test('unpad inverts pad for every length, including data ending in 0x80 or 0x00', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (d) => {
      assert.equal(h(unpadIso9797M2(padIso9797M2(d))), h(d));
    }),
  );
  const tricky = u('01020380');
  assert.equal(h(unpadIso9797M2(padIso9797M2(tricky))), '01020380');
});

test('unpad refuses data without valid padding', () => {
  const isBad = (e: unknown) => e instanceof ProtocolError && e.code === 'BAD_PADDING' && e.deviceCode === 0x02;
  assert.throws(() => unpadIso9797M2(new Uint8Array(16)), isBad); // all zeros, no 0x80 within the last block
  assert.throws(() => unpadIso9797M2(u('aa'.repeat(15) + '81')), isBad);
  assert.throws(() => unpadIso9797M2(u('aa'.repeat(14) + '8001')), isBad); // non-zero after the marker
  assert.throws(() => unpadIso9797M2(u('80' + '00'.repeat(31))), isBad); // more than 16 bytes of padding
  assert.throws(() => unpadIso9797M2(u('aa80')), isBad); // not whole blocks
  assert.throws(() => unpadIso9797M2(new Uint8Array(0)), isBad);
});

test('AES helpers reject bad key, IV and block lengths with UsageErrors', () => {
  assert.throws(() => aesEcbEncrypt(new Uint8Array(10), PT), (e: unknown) =>
    e instanceof UsageError && e.code === 'BAD_KEY_LENGTH' && e.message === 'AES needs a 16, 24 or 32-byte key, got 10 bytes.');
  assert.throws(() => aesCbcEncrypt(KEY, new Uint8Array(8), PT), { code: 'BAD_IV_LENGTH', message: 'AES-CBC needs a 16-byte IV, got 8 bytes.' });
  assert.throws(() => aesCbcEncrypt(KEY, IV, PT.subarray(0, 17)), {
    code: 'NOT_BLOCK_ALIGNED', message: 'AES-CBC plaintext must be a multiple of 16 bytes, got 17; pad it first.',
  });
});
