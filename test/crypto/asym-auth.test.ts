import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deriveAsymmetricSessionKeys, generateP256KeyPair, p256Ecdh, p256PublicKey, sessionReceipt, uncompressedP256, x963KdfSha256,
} from '../../src/crypto/asym-auth.js';
import { ProtocolError, UsageError } from '../../src/errors.js';
import { h, openssl, u, vectors } from '../session/helpers.js';

const v = vectors.asymmetric_auth;

test('public keys of the fixed test keys match the vectors', () => {
  assert.equal(h(p256PublicKey(u(v.sk_oce))), v.pk_oce);
  assert.equal(h(p256PublicKey(u(v.esk_oce))), v.epk_oce);
  assert.equal(h(p256PublicKey(u(v.sk_sd_device))), v.pk_sd_device);
  assert.equal(h(p256PublicKey(u(v.esk_sd_device))), v.epk_sd_device);
});

test('ECDH gives shsee and shsss from both sides (host keys and device keys)', () => {
  assert.equal(h(p256Ecdh(u(v.esk_oce), u(v.epk_sd_device))), v.shsee);
  assert.equal(h(p256Ecdh(u(v.esk_sd_device), u(v.epk_oce))), v.shsee);
  assert.equal(h(p256Ecdh(u(v.sk_oce), u(v.pk_sd_device))), v.shsss);
  assert.equal(h(p256Ecdh(u(v.sk_sd_device), u(v.pk_oce).subarray(1))), v.shsss); // 64-byte X ‖ Y form
});

test('X9.63 KDF (SHA-256, SharedInfo 3C8810) gives shs; openssl X963KDF agrees', () => {
  const z = u(v.shsee + v.shsss);
  assert.equal(h(x963KdfSha256(z, u('3c8810'), 64)), v.shs);
  const out = openssl(['kdf', '-keylen', '64', '-kdfopt', 'digest:SHA256', '-kdfopt', `hexsecret:${h(z)}`, '-kdfopt', 'hexinfo:3c8810', 'X963KDF']);
  assert.equal(out.replace(/:/g, '').toLowerCase(), v.shs);
  assert.equal(h(x963KdfSha256(z, u('3c8810'), 40)), v.shs.slice(0, 80));
});

test('shs splits into K-receipt, S-ENC, S-MAC, S-RMAC and the receipt matches', () => {
  const s = deriveAsymmetricSessionKeys(u(v.shsee), u(v.shsss));
  assert.equal(h(s.receiptKey), v.shs.slice(0, 32));
  assert.equal(h(s.sessionKeys.encKey), v.S_ENC);
  assert.equal(h(s.sessionKeys.macKey), v.S_MAC);
  assert.equal(h(s.sessionKeys.rmacKey), v.S_RMAC);
  assert.equal(h(sessionReceipt(s.receiptKey, u(v.epk_sd_device), u(v.epk_oce))), v.receipt);
});

test('a generated key pair is consistent and ECDH agrees both ways', () => {
  const a = generateP256KeyPair();
  const b = generateP256KeyPair();
  assert.equal(a.privateKey.length, 32);
  assert.equal(h(p256PublicKey(a.privateKey)), h(a.publicKey));
  assert.equal(h(p256Ecdh(a.privateKey, b.publicKey)), h(p256Ecdh(b.privateKey, a.publicKey)));
});

test('points off the curve, wrong sizes and bad private keys are typed errors', () => {
  const offCurve = u(v.pk_oce);
  offCurve[64] ^= 1;
  assert.throws(() => p256Ecdh(u(v.sk_sd_device), offCurve), (e: unknown) =>
    e instanceof ProtocolError && e.code === 'INVALID_EC_POINT' && e.deviceCode === 0x02 &&
    e.message === 'The peer public key is not a point on P-256; check the key bytes.');
  assert.throws(() => uncompressedP256(new Uint8Array(33)), (e: unknown) =>
    e instanceof ProtocolError && e.code === 'BAD_EC_POINT' &&
    e.message === 'The P-256 public key must be 65 bytes (04 ‖ X ‖ Y) or 64 bytes (X ‖ Y), got 33 bytes.');
  assert.throws(() => p256PublicKey(new Uint8Array(32)), (e: unknown) => e instanceof UsageError && e.code === 'BAD_PRIVATE_KEY');
  assert.throws(() => p256PublicKey(new Uint8Array(31)), {
    code: 'BAD_PRIVATE_KEY', message: 'A P-256 private key must be 32 bytes, got 31.',
  });
});
