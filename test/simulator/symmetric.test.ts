/** AES ECB/CBC, HMAC and Yubico OTP on the device, against published vectors (NIST SP 800-38A, RFC 4231/2202, Yubico OTP). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import { capabilities as caps } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { verifyHmacRequest } from '../../src/protocol/commands/verify-hmac.js';
import { DeviceErrorCode as E } from '../../src/protocol/device-errors.js';
import { hex, newDevice, openSession, unhex } from './helpers.js';

test('AES-128 ECB and CBC match NIST SP 800-38A F.1.1 / F.2.1; decryption inverts', async () => {
  const s = await openSession(newDevice());
  await s.send(commands.putSymmetricKey, {
    id: 1, label: 'aes', domains: 1, capabilities: caps('encrypt-ecb', 'decrypt-ecb', 'encrypt-cbc', 'decrypt-cbc'), algorithm: 50,
    key: unhex('2b7e151628aed2a6abf7158809cf4f3c'),
  });
  const pt = unhex('6bc1bee22e409f96e93d7e117393172a' + 'ae2d8a571e03ac9c9eb76fac45af8e51');
  const ecb = await s.send(commands.encryptAesEcb, { keyId: 1, data: pt });
  assert.equal(hex(ecb), '3ad77bb40d7a3660a89ecaf32466ef97' + 'f5d3d58503b9699de785895a96fdbaaf');
  assert.equal(hex(await s.send(commands.decryptAesEcb, { keyId: 1, data: ecb })), hex(pt));
  const iv = unhex('000102030405060708090a0b0c0d0e0f');
  const cbc = await s.send(commands.encryptAesCbc, { keyId: 1, iv, data: pt });
  assert.equal(hex(cbc), '7649abac8119b246cee98e9b12e9197d' + '5086cb9b507219ee95db113a917678b2');
  assert.equal(hex(await s.send(commands.decryptAesCbc, { keyId: 1, iv, data: cbc })), hex(pt));
  await s.send(commands.generateSymmetricKey, { id: 2, label: 'g', domains: 1, capabilities: caps('encrypt-ecb'), algorithm: 52 });
  assert.equal(await s.errorOf(commands.decryptAesEcb, { keyId: 2, data: pt }), E.INSUFFICIENT_PERMISSIONS);
  assert.equal(await s.errorOf(commands.putSymmetricKey, { id: 3, label: 'x', domains: 1, capabilities: 0n, algorithm: 51, key: new Uint8Array(16) }), E.WRONG_LENGTH);
});

test('HMAC-SHA1/256/512 match RFC 2202 / RFC 4231 test case 2; VerifyHmac accepts and rejects', async () => {
  const s = await openSession(newDevice());
  const key = new Uint8Array(Buffer.from('Jefe'));
  const data = new Uint8Array(Buffer.from('what do ya want for nothing?'));
  const expected: Record<number, string> = {
    19: 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79',
    20: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    22: '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
  };
  for (const [alg, mac] of Object.entries(expected)) {
    const id = Number(alg);
    await s.send(commands.putHmacKey, { id, label: 'h', domains: 1, capabilities: caps('sign-hmac', 'verify-hmac'), algorithm: id, key });
    assert.equal(hex(await s.send(commands.signHmac, { keyId: id, data })), mac);
    assert.equal(await s.send(commands.verifyHmac, verifyHmacRequest(id, unhex(mac), data)), true);
    const wrong = unhex(mac);
    wrong[0] ^= 1;
    assert.equal(await s.send(commands.verifyHmac, verifyHmacRequest(id, wrong, data)), false);
  }
  assert.equal(await s.errorOf(commands.putHmacKey, { id: 9, label: 'h', domains: 1, capabilities: 0n, algorithm: 20, key: new Uint8Array(65) }), E.INVALID_DATA);
  await s.send(commands.generateHmacKey, { id: 10, label: 'g', domains: 1, capabilities: caps('sign-hmac', 'exportable-under-wrap'), algorithm: 21 });
  const mac = await s.send(commands.signHmac, { keyId: 10, data });
  assert.equal(mac.length, 48);
  // Through an AES-CCM wrap (ipad/opad body) and back, the key computes the same MAC.
  await s.send(commands.generateWrapKey, { id: 11, label: 'w', domains: 1, capabilities: caps('export-wrapped', 'import-wrapped'), algorithm: 42, delegatedCapabilities: caps('sign-hmac', 'exportable-under-wrap') });
  const blob = await s.send(commands.exportWrapped, { wrapKeyId: 11, type: 5, id: 10 });
  assert.equal(blob.length, 13 + 59 + 256 + 16);
  await s.send(commands.deleteObject, { id: 10, type: 5 });
  await s.send(commands.importWrapped, { wrapKeyId: 11, wrapped: blob });
  assert.equal(hex(await s.send(commands.signHmac, { keyId: 10, data })), hex(mac));
});

const MODHEX = 'cbdefghijklnrtuv';
const modhex = (s: string) => unhex([...s].map((c) => MODHEX.indexOf(c).toString(16)).join(''));

test('Yubico OTP: AEADs open with the documented CCM construction; DecryptOtp gives the test-vector counters', async () => {
  const s = await openSession(newDevice());
  const aesKey = unhex('101112131415161718191a1b1c1d1e1f');
  await s.send(commands.putOtpAeadKey, {
    id: 1, label: 'otp', domains: 1, capabilities: caps('create-otp-aead', 'randomize-otp-aead', 'decrypt-otp', 'rewrap-from-otp-aead-key'),
    algorithm: 37, nonceId: 0x01234567, key: aesKey,
  });
  await s.send(commands.generateOtpAeadKey, { id: 2, label: 'otp2', domains: 1, capabilities: caps('decrypt-otp', 'rewrap-to-otp-aead-key'), algorithm: 40, nonceId: 7 });
  // Yubico OTP test vectors (developers.yubico.com/OTP/Specifications/Test_vectors.html).
  const vectors = [
    { key: '000102030405060708090a0b0c0d0e0f', id: '010203040506', otp: 'dvgtiblfkbgturecfllberrvkinnctnn', data: { useCounter: 1, sessionCounter: 1, timestampHigh: 1, timestampLow: 1 } },
    { key: 'c4422890653076cde73d449b191b416a', id: '33c69e7f249e', otp: 'iucvrkjiegbhidrcicvlgrcgkgurhjnj', data: { useCounter: 1, sessionCounter: 0, timestampHigh: 0x24, timestampLow: 0x13a7 } },
  ];
  for (const v of vectors) {
    const aead = await s.send(commands.createOtpAead, { keyId: 1, key: unhex(v.key), privateId: unhex(v.id) });
    assert.equal(aead.length, 36);
    // Independent decryption: AES-CCM, 8-byte tag, nonce = nonce id (LE) ‖ aead[0:6] ‖ 00 00 00.
    const d = createDecipheriv('aes-128-ccm', aesKey, Buffer.concat([unhex('67452301'), aead.subarray(0, 6), Buffer.alloc(3)]), { authTagLength: 8 });
    d.setAuthTag(aead.subarray(28));
    const pt = Buffer.concat([d.update(aead.subarray(6, 28))]);
    d.final();
    assert.equal(pt.toString('hex'), v.key + v.id);
    assert.deepEqual(await s.send(commands.decryptOtp, { keyId: 1, aead, otp: modhex(v.otp) }), v.data);
    const rewrapped = await s.send(commands.rewrapOtpAead, { fromKeyId: 1, toKeyId: 2, aead });
    assert.notEqual(hex(rewrapped), hex(aead));
    assert.deepEqual(await s.send(commands.decryptOtp, { keyId: 2, aead: rewrapped, otp: modhex(v.otp) }), v.data);
  }
  const random = await s.send(commands.randomizeOtpAead, 1);
  assert.equal(await s.errorOf(commands.decryptOtp, { keyId: 1, aead: random, otp: new Uint8Array(16).fill(9) }), E.INVALID_OTP);
  assert.equal(await s.raw(unhex('600035 0001' + '00'.repeat(36) + '00'.repeat(15))).then(hex), '7f000108', 'a 15-byte OTP is WRONG_LENGTH');
});
