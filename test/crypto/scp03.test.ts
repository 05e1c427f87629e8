import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cardCryptogram, counterBlock, deriveSessionKeys, Derivation, encryptWithCounterIv, hostCryptogram, incrementCounter, kdfInput,
  messageIv, scp03Kdf,
} from '../../src/crypto/scp03.js';
import { UsageError } from '../../src/errors.js';
import { h, u, vectors } from '../session/helpers.js';

const b = vectors.b_session_keys;
const keys = { encKey: u(vectors.a_password_to_static_keys.K_ENC), macKey: u(vectors.a_password_to_static_keys.K_MAC) };
const H = u(b.host_challenge);
const C = u(b.card_challenge);

test('the KDF input block has the PROTOCOL.md 3.2 layout (vectors b)', () => {
  assert.equal(h(kdfInput(Derivation.S_ENC, u(b.context), 128)), b.kdf_input_S_ENC);
  assert.equal(h(kdfInput(Derivation.CARD_CRYPTOGRAM, u(b.context), 64)), b.kdf_input_card_cryptogram);
  assert.equal(h(kdfInput(Derivation.HOST_CRYPTOGRAM, u(b.context), 64)), b.kdf_input_host_cryptogram);
});

test('session keys and cryptograms match vectors b', () => {
  const s = deriveSessionKeys(keys, H, C);
  assert.equal(h(s.encKey), b.S_ENC);
  assert.equal(h(s.macKey), b.S_MAC);
  assert.equal(h(s.rmacKey), b.S_RMAC);
  assert.equal(h(cardCryptogram(s.macKey, H, C)), b.card_cryptogram);
  assert.equal(h(hostCryptogram(s.macKey, H, C)), b.host_cryptogram);
  // PROTOCOL.md section 9 quick-check table, typed in independently of vectors.json.
  assert.equal(h(s.encKey), '2df88b68e757551056ba174622b5f10e');
  assert.equal(h(cardCryptogram(s.macKey, H, C)), '1846bff258fbab48');
});

test('the upstream python-yubihsm transcript (default keys, host challenge 00…00) derives the same keys', () => {
  const t = vectors.upstream_test_transcript;
  const s = deriveSessionKeys(keys, new Uint8Array(8), u(t.card_challenge));
  assert.equal(h(s.encKey), t.S_ENC);
  assert.equal(h(s.macKey), t.S_MAC);
  assert.equal(h(s.rmacKey), t.S_RMAC);
  assert.equal(h(cardCryptogram(s.macKey, new Uint8Array(8), u(t.card_challenge))), t.card_cryptogram);
});

test('IV = AES-ECB(S-ENC, counter) for the 7 exchanges of vectors d', () => {
  const sEnc = u(b.S_ENC);
  for (const m of vectors.d_session_messages) {
    assert.equal(h(counterBlock(BigInt(m.counter))), m.iv_formula_input);
    assert.equal(h(messageIv(sEnc, counterBlock(BigInt(m.counter)))), m.iv, m.label);
  }
});

test('encryptWithCounterIv gives the IV and the ciphertext of vectors d in one pass', () => {
  const sEnc = u(b.S_ENC);
  for (const m of vectors.d_session_messages) {
    const r = encryptWithCounterIv(sEnc, counterBlock(BigInt(m.counter)), u(m.inner_command_padded));
    assert.equal(h(r.iv), m.iv, m.label);
    assert.equal(h(r.ciphertext), m.ciphertext, m.label);
  }
  assert.throws(() => encryptWithCounterIv(sEnc, counterBlock(1n), new Uint8Array(15)), { code: 'NOT_BLOCK_ALIGNED' });
});

test('scp03Kdf with 64 bits is the first half of the 128-bit CMAC output', () => {
  const k = u(b.S_MAC);
  const full = scp03Kdf(k, 0x00, u(b.context), 128);
  assert.equal(h(scp03Kdf(k, 0x00, u(b.context), 64)), b.card_cryptogram);
  assert.notEqual(h(full.subarray(0, 8)), b.card_cryptogram); // L is part of the input, so the 128-bit run differs
});

test('the 128-bit counter increments big-endian with carry and wraps', () => {
  const c = counterBlock(0xffn);
  incrementCounter(c);
  assert.equal(h(c), '00000000000000000000000000000100');
  const top = counterBlock((1n << 128n) - 1n);
  incrementCounter(top);
  assert.equal(h(top), '00'.repeat(16));
  assert.throws(() => counterBlock(1n << 128n), (e: unknown) => e instanceof UsageError && e.code === 'BAD_COUNTER');
});

test('bad challenge and key lengths are UsageErrors naming the field', () => {
  assert.throws(() => deriveSessionKeys(keys, new Uint8Array(7), C), {
    code: 'BAD_LENGTH', message: 'The host challenge must be 8 bytes, got 7.',
  });
  assert.throws(() => deriveSessionKeys({ encKey: new Uint8Array(16), macKey: new Uint8Array(32) }, H, C), {
    code: 'BAD_LENGTH', message: 'K-MAC must be 16 bytes, got 32.',
  });
});
