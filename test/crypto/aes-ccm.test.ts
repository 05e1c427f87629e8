import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { aesCcmDecrypt, aesCcmEncrypt, aesCcmUnwrap, aesCcmWrap, unwrapData, wrapData } from '../../src/crypto/aes-ccm.js';
import { hexBytes, isCoded, loadVectors, toHex } from './asym-helpers.js';

const v = loadVectors().aes_ccm_wrapped_object;

test('vector aes_ccm_wrapped_object: AES-128-CCM ciphertext, exported blob and ImportWrapped payload', () => {
  const key = hexBytes(v.wrap_key_aes128);
  const nonce = hexBytes(v.nonce);
  assert.equal(toHex(aesCcmEncrypt(key, nonce, hexBytes(v.plaintext))), v.ccm_ciphertext_and_tag);
  const blob = aesCcmWrap(key, hexBytes(v.plaintext), nonce);
  assert.equal(toHex(blob), v.exported_blob_nonce_ct_tag);
  assert.equal('0014' + toHex(blob), v.import_wrapped_payload_for_wrap_key_0x0014);
  assert.equal(toHex(aesCcmUnwrap(key, blob) as Uint8Array), v.plaintext);
  assert.equal(toHex(aesCcmDecrypt(key, nonce, hexBytes(v.ccm_ciphertext_and_tag)) as Uint8Array), v.plaintext);
});

test('WrapData known answers for AES-192/256 (python cryptography 48.0.0 AESCCM, tag 16, over 00 ‖ data)', () => {
  const nonce = hexBytes('101112131415161718191a1b1c');
  const data = new TextEncoder().encode('hello yubihsm wrap data');
  const cases = [
    ['000102030405060708090a0b0c0d0e0f1011121314151617', '1efe6f759d103f0c62b012748c8872b4db0908eb22b6210da630c091f5bc909700554a548de85308'],
    ['000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '1dda2984bbc056011242fef4dd5b503f307dc40c48b08289f3cba360ed41ed79e2301c250b78bc66'],
  ];
  for (const [k, expected] of cases) {
    const blob = wrapData(hexBytes(k), data, nonce);
    assert.equal(toHex(blob), toHex(nonce) + expected);
    assert.equal(new TextDecoder().decode(unwrapData(hexBytes(k), blob)), 'hello yubihsm wrap data');
  }
});

test('authentication failures are undefined; UnwrapData insists on the leading 0x00', () => {
  const key = hexBytes(v.wrap_key_aes128);
  const blob = hexBytes(v.exported_blob_nonce_ct_tag);
  for (const i of [0, 12, 13, 50, blob.length - 1]) {
    const t = blob.slice();
    t[i] ^= 0x01;
    assert.equal(aesCcmUnwrap(key, t), undefined, `byte ${i}`);
  }
  assert.equal(aesCcmUnwrap(hexBytes('00112233445566778899aabbccddeefe'), blob), undefined);
  assert.equal(aesCcmUnwrap(key, blob.subarray(0, 28)), undefined);
  // The vector plaintext starts with 0x1d, so as WrapData output it is refused.
  assert.equal(unwrapData(key, blob), undefined);
  const nonce = hexBytes(v.nonce);
  assert.equal(toHex(unwrapData(key, aesCcmWrap(key, Uint8Array.of(0), nonce)) as Uint8Array), '');
  assert.equal(unwrapData(key, aesCcmWrap(key, new Uint8Array(0), nonce)), undefined);
  assert.throws(() => aesCcmEncrypt(new Uint8Array(15), nonce, Uint8Array.of(1)), isCoded('BAD_AES_KEY_LENGTH', /^An AES-CCM wrap key is 16, 24 or 32 bytes, got 15\.$/));
  assert.throws(() => aesCcmEncrypt(key, new Uint8Array(12), Uint8Array.of(1)), isCoded('BAD_CCM_NONCE'));
  assert.throws(() => aesCcmEncrypt(key, nonce, new Uint8Array(65536)), isCoded('CCM_PLAINTEXT_TOO_LONG'));
});

test('property: wrap/unwrap round trip, fresh nonces', () => {
  fc.assert(
    fc.property(fc.constantFrom(16, 24, 32), fc.uint8Array({ maxLength: 3000 }), (size, data) => {
      const key = new Uint8Array(size).fill(7);
      const a = wrapData(key, data);
      const b = wrapData(key, data);
      const out = unwrapData(key, a);
      return a.length === 13 + 1 + data.length + 16 && toHex(a.subarray(0, 13)) !== toHex(b.subarray(0, 13)) && out !== undefined && toHex(out) === toHex(data);
    }),
    { numRuns: 50 },
  );
});
