import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { generateKeyMaterial, publicKeySpki } from '../../src/crypto/keys.js';
import { encodePkcs8, parsePkcs8 } from '../../src/crypto/pkcs8.js';
import {
  RSA_AES_KEY_WRAP_SHA_1,
  RSA_AES_KEY_WRAP_SHA_256,
  rsaAesParamsFromSelectors,
  rsaAesUnwrap,
  rsaAesWrap,
  RsaAesUnwrapError,
  rsaOaepParamsFromSelectors,
} from '../../src/crypto/rsa-aes-wrap.js';
import { oaepLabelHash, rsaOaepEncrypt } from '../../src/crypto/rsa-oaep.js';
import type { HashName } from '../../src/protocol/algorithms.js';
import { hexBytes, isCoded, loadVectors, openssl, tempDir, toHex } from './asym-helpers.js';

const vectors = loadVectors().e_rsa_wrapped_key;
const priv = createPrivateKey(vectors.rsa_private_key_pem);
const pub = createPublicKey(priv);

test('vector: the 0x74 blob unwraps to the ephemeral key and the P-256 PKCS#8; the AES-256 example to its raw key', () => {
  const { payload, ephemeralKey } = rsaAesUnwrap(priv, hexBytes(vectors.wrapped_blob), RSA_AES_KEY_WRAP_SHA_256);
  assert.equal(toHex(ephemeralKey), vectors.ephemeral_aes_key);
  assert.equal(toHex(payload), vectors.pkcs8_plaintext);
  assert.equal(toHex(parsePkcs8(payload).material), vectors.ec_p256_private_scalar);
  const sym = rsaAesUnwrap(priv, hexBytes(vectors.symmetric_example.wrapped_blob), { oaepHash: 'sha256', mgf1Hash: 'sha256', lHash: hexBytes('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855') });
  assert.equal(toHex(sym.payload), vectors.symmetric_example.aes256_key_raw);
  assert.equal(vectors.symmetric_example.wrapped_blob.slice(512), vectors.symmetric_example.aes_kwp_part);
  // The P-256 blob is the OAEP part (k = 256 bytes for the vector's RSA-2048 key) then the KWP part.
  assert.equal(vectors.rsa_oaep_part_len, 256);
  assert.equal(vectors.wrapped_blob, vectors.rsa_oaep_part + vectors.aes_kwp_part);
  const jwk = priv.export({ format: 'jwk' });
  assert.equal(Buffer.from(jwk.n!, 'base64url').toString('hex'), vectors.rsa_modulus_n);
  assert.equal(Buffer.from(jwk.e!, 'base64url').readUIntBE(0, 3), vectors.rsa_public_exponent);
});

test('round trips for every AES size, hash pair and RSA size; blob length is k + 8·(⌈len/8⌉ + 1)', () => {
  const keys: [KeyObject, KeyObject][] = [[pub, priv]];
  for (const bits of [3072, 4096]) {
    const kp = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
    keys.push([kp.publicKey, kp.privateKey]);
  }
  const hashes: HashName[] = ['sha1', 'sha256', 'sha384', 'sha512'];
  let i = 0;
  for (const [pk, sk] of keys) {
    const k = (pk.asymmetricKeyDetails?.modulusLength as number) / 8;
    for (const aesBits of [128, 192, 256] as const) {
      for (const oaepHash of hashes) {
        const mgf1Hash = hashes[i++ % 4];
        const payload = new Uint8Array(1 + ((i * 37) % 300)).fill(i);
        const params = { aesBits, oaepHash, mgf1Hash, lHash: oaepLabelHash(oaepHash, Uint8Array.of(i)) };
        const blob = rsaAesWrap(pk, payload, params);
        assert.equal(blob.length, k + 8 * (Math.ceil(payload.length / 8) + 1));
        const out = rsaAesUnwrap(sk, blob, params);
        assert.equal(toHex(out.payload), toHex(payload));
        assert.equal(out.ephemeralKey.length, aesBits / 8);
        // OAEP is randomised: two wraps differ.
        assert.notEqual(toHex(rsaAesWrap(pk, payload, params)), toHex(blob));
      }
    }
  }
});

test('openssl: a blob we make unwraps with pkeyutl + enc -id-aes256-wrap-pad to PKCS#8 whose public key is ours', () => {
  const dir = tempDir();
  try {
    const keyFile = dir.file('wrapkey.pem', vectors.rsa_private_key_pem);
    for (const [alg, material] of [[12, generateKeyMaterial(12)], [16, generateKeyMaterial(16)], [46, generateKeyMaterial(46)]] as const) {
      const blob = rsaAesWrap(pub, encodePkcs8(alg, material), RSA_AES_KEY_WRAP_SHA_256);
      const c1 = dir.file('c1.bin', blob.subarray(0, 256));
      const c2 = dir.file('c2.bin', blob.subarray(256));
      const eph = openssl(['pkeyutl', '-decrypt', '-inkey', keyFile, '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256', '-in', c1]);
      assert.equal(eph.length, 32);
      const pkcs8 = openssl(['enc', '-d', '-id-aes256-wrap-pad', '-K', eph.toString('hex'), '-iv', 'A65959A6', '-in', c2]);
      const spki = openssl(['pkey', '-inform', 'DER', '-in', dir.file('k.der', pkcs8), '-pubout', '-outform', 'DER']);
      assert.equal(spki.toString('hex'), toHex(publicKeySpki(alg, material)), `algorithm ${alg}`);
    }
  } finally {
    dir.cleanup();
  }
});

test('openssl: the AWS-documented recipe (enc -id-aes256-wrap-pad, pkeyutl -encrypt OAEP SHA-256) unwraps with ours', () => {
  const dir = tempDir();
  try {
    const pubFile = dir.file('pub.der', pub.export({ format: 'der', type: 'spki' }));
    const aesKey = hexBytes('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
    const payload = hexBytes(vectors.pkcs8_plaintext);
    const wrapped = openssl(['enc', '-id-aes256-wrap-pad', '-K', toHex(aesKey), '-iv', 'A65959A6', '-in', dir.file('p.der', payload)]);
    const encKey = openssl(['pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', pubFile, '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256', '-in', dir.file('aes.bin', aesKey)]);
    const out = rsaAesUnwrap(priv, Uint8Array.from([...encKey, ...wrapped]), RSA_AES_KEY_WRAP_SHA_256);
    assert.equal(toHex(out.payload), vectors.pkcs8_plaintext);
    assert.equal(toHex(out.ephemeralKey), toHex(aesKey));
  } finally {
    dir.cleanup();
  }
});

test('every unwrap failure is the same RSA_AES_UNWRAP_FAILED error', () => {
  const blob = hexBytes(vectors.wrapped_blob);
  const fails = (b: Uint8Array, key: KeyObject, params: Parameters<typeof rsaAesUnwrap>[2]) =>
    assert.throws(
      () => rsaAesUnwrap(key, b, params),
      (e: unknown) => e instanceof RsaAesUnwrapError && e.deviceCode === 0x02 && isCoded('RSA_AES_UNWRAP_FAILED', /^The RSA-wrapped blob does not unwrap with this key and these OAEP\/MGF1\/label parameters; check the wrap key and the algorithms used to wrap\.$/)(e),
    );
  const tamperedC2 = blob.slice();
  tamperedC2[blob.length - 1] ^= 1;
  fails(tamperedC2, priv, RSA_AES_KEY_WRAP_SHA_256);
  const tamperedC1 = blob.slice();
  tamperedC1[5] ^= 1;
  fails(tamperedC1, priv, RSA_AES_KEY_WRAP_SHA_256);
  fails(blob, priv, RSA_AES_KEY_WRAP_SHA_1);
  fails(blob, priv, { oaepHash: 'sha256', mgf1Hash: 'sha1' });
  fails(blob, priv, { ...RSA_AES_KEY_WRAP_SHA_256, aesBits: 128 });
  fails(blob, priv, { ...RSA_AES_KEY_WRAP_SHA_256, lHash: oaepLabelHash('sha256', Uint8Array.of(0)) });
  fails(blob.subarray(0, 256 + 8), priv, RSA_AES_KEY_WRAP_SHA_256);
  fails(blob.subarray(0, blob.length - 1), priv, RSA_AES_KEY_WRAP_SHA_256);
  fails(blob, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, RSA_AES_KEY_WRAP_SHA_256);
  // An OAEP-valid C1 carrying a 20-byte "key" is refused too.
  const c1 = rsaOaepEncrypt(pub, new Uint8Array(20), { hash: 'sha256', mgf1Hash: 'sha256' });
  fails(Uint8Array.from([...c1, ...blob.subarray(256)]), priv, { oaepHash: 'sha256', mgf1Hash: 'sha256' });
  assert.throws(() => rsaAesWrap(pub, new Uint8Array(0), RSA_AES_KEY_WRAP_SHA_256), isCoded('EMPTY_PAYLOAD'));
  assert.throws(() => rsaAesWrap(pub, Uint8Array.of(1), { ...RSA_AES_KEY_WRAP_SHA_256, aesBits: 512 as 256 }), isCoded('BAD_AES_BITS'));
});

test('YubiHSM selector bytes map to parameters (PROTOCOL.md 5.8)', () => {
  const lHash = oaepLabelHash('sha256');
  assert.deepEqual(rsaAesParamsFromSelectors(52, 26, 33, lHash), { aesBits: 256, oaepHash: 'sha256', mgf1Hash: 'sha256', lHash });
  assert.deepEqual(rsaAesParamsFromSelectors(50, 25, 34, oaepLabelHash('sha1')), { aesBits: 128, oaepHash: 'sha1', mgf1Hash: 'sha384', lHash: oaepLabelHash('sha1') });
  assert.deepEqual(rsaOaepParamsFromSelectors(28, 32, oaepLabelHash('sha512')), { oaepHash: 'sha512', mgf1Hash: 'sha1', lHash: oaepLabelHash('sha512') });
  assert.throws(() => rsaAesParamsFromSelectors(29, 26, 33, lHash), isCoded('BAD_WRAP_ALGORITHM', /^Ephemeral key algorithm aes128-ccm-wrap \(29\) must be aes128, aes192 or aes256\.$/));
  assert.throws(() => rsaAesParamsFromSelectors(52, 33, 33, lHash), isCoded('BAD_WRAP_ALGORITHM', /OAEP algorithm mgf1-sha256 \(33\)/));
  assert.throws(() => rsaAesParamsFromSelectors(52, 26, 26, lHash), isCoded('BAD_WRAP_ALGORITHM', /MGF1 algorithm rsa-oaep-sha256 \(26\)/));
  assert.throws(() => rsaOaepParamsFromSelectors(26, 33, new Uint8Array(20)), (e: unknown) => isCoded('BAD_LABEL_HASH', /^The label hash is 20 bytes; rsa-oaep-sha256 needs 32\.$/)(e) && (e as { deviceCode: number }).deviceCode === 0x08);
});
