/**
 * GetRsaWrappedKey (0x74) output unwrapped by openssl alone (RSA-OAEP-SHA256/MGF1-SHA256, then id-aes256-wrap-pad),
 * PROTOCOL.md 6; PutRsaWrappedKey (0x75) of a blob openssl made and of the blobs in vectors.json e_rsa_wrapped_key;
 * public keys as PEM loaded by openssl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createPrivateKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capabilities } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { hex, newDevice, openSession, openssl, p256Spki, unhex, vectors, withTempDir } from './helpers.js';

const SHA256_EMPTY = unhex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

function rsaModulus(dir: string, bits: number): { pem: string; n: Uint8Array } {
  const pem = join(dir, `rsa${bits}.pem`);
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', pem]);
  const text = openssl(['rsa', '-in', pem, '-noout', '-modulus']).toString().trim();
  return { pem, n: unhex(text.replace(/^Modulus=/, '')) };
}

test('GetRsaWrappedKey of an EC P-256 key unwraps with openssl to a PKCS#8 whose public key is the device key', async () => {
  await withTempDir(async (dir) => {
    const { pem, n } = rsaModulus(dir, 2048);
    const d = newDevice();
    const s = await openSession(d);
    await s.send(commands.putPublicWrapKey, {
      id: 0x101, label: 'AWS KMS Wrap Key', domains: 0xffff, capabilities: capabilities('export-wrapped'), algorithm: 9,
      delegatedCapabilities: capabilities('exportable-under-wrap', 'sign-ecdsa', 'encrypt-cbc', 'decrypt-cbc'), modulus: n,
    });
    await s.send(commands.generateAsymmetricKey, {
      id: 0x100, label: 'YubiHSM Signing Key', domains: 1, capabilities: capabilities('exportable-under-wrap', 'sign-ecdsa'), algorithm: 12,
    });
    const pub = await s.send(commands.getPublicKey, { keyId: 0x100 });
    assert.equal(pub.algorithm, 12);
    assert.equal(pub.publicKey.length, 64);
    const wrapPub = await s.send(commands.getPublicKey, { keyId: 0x101, type: 9 });
    assert.equal(wrapPub.algorithm, 9);
    assert.equal(hex(wrapPub.publicKey), hex(n));

    const blob = await s.send(commands.getRsaWrappedKey, {
      wrapKeyId: 0x101, type: 3, id: 0x100, aesAlgorithm: 52, oaepAlgorithm: 26, mgf1Algorithm: 33, lHash: SHA256_EMPTY,
    });
    // C1 (256) ‖ C2 = KWP of a 138-byte PKCS#8: 8 * (ceil(138/8) + 1) = 152.
    assert.equal(blob.length, 256 + 152);
    writeFileSync(join(dir, 'c1.bin'), blob.subarray(0, 256));
    writeFileSync(join(dir, 'c2.bin'), blob.subarray(256));
    const kEph = openssl([
      'pkeyutl', '-decrypt', '-inkey', pem, '-in', join(dir, 'c1.bin'),
      '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256',
    ]);
    assert.equal(kEph.length, 32);
    const pkcs8 = openssl(['enc', '-d', '-id-aes256-wrap-pad', '-K', kEph.toString('hex'), '-iv', 'A65959A6', '-in', join(dir, 'c2.bin')]);
    assert.equal(pkcs8.length, 138);
    writeFileSync(join(dir, 'k.der'), pkcs8);
    const spki = openssl(['pkey', '-inform', 'DER', '-in', join(dir, 'k.der'), '-pubout', '-outform', 'DER']);
    assert.equal(spki.toString('hex'), hex(p256Spki(pub.publicKey)));

    // Two exports differ (fresh ephemeral key, randomized OAEP).
    const again = await s.send(commands.getRsaWrappedKey, {
      wrapKeyId: 0x101, type: 3, id: 0x100, aesAlgorithm: 52, oaepAlgorithm: 26, mgf1Algorithm: 33, lHash: SHA256_EMPTY,
    });
    assert.notEqual(hex(again), hex(blob));
  });
});

test('the device public key as PEM loads in openssl pkey -pubin and an ECDSA signature verifies with openssl dgst', async () => {
  await withTempDir(async (dir) => {
    const d = newDevice();
    const s = await openSession(d);
    await s.send(commands.generateAsymmetricKey, { id: 7, label: 'k', domains: 1, capabilities: capabilities('sign-ecdsa'), algorithm: 12 });
    const pub = await s.send(commands.getPublicKey, { keyId: 7 });
    const pemText = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(p256Spki(pub.publicKey)).toString('base64')}\n-----END PUBLIC KEY-----\n`;
    writeFileSync(join(dir, 'pub.pem'), pemText);
    const text = openssl(['pkey', '-pubin', '-in', join(dir, 'pub.pem'), '-noout', '-text']).toString();
    assert.match(text, /Public-Key: \(256 bit\)/);
    assert.match(text, /NIST CURVE: P-256/);
    const message = Buffer.from('Message signed by the software YubiHSM 2\n');
    writeFileSync(join(dir, 'msg.txt'), message);
    const digest = openssl(['dgst', '-sha256', '-binary', join(dir, 'msg.txt')]);
    const sig = await s.send(commands.signEcdsa, { keyId: 7, digest: new Uint8Array(digest) });
    writeFileSync(join(dir, 'sig.der'), sig);
    const out = openssl(['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig.der'), join(dir, 'msg.txt')]);
    assert.match(out.toString(), /Verified OK/);
  });
});

test('PutRsaWrappedKey imports a P-256 key wrapped by openssl under the device RSA wrap key (origin 0x12)', async () => {
  await withTempDir(async (dir) => {
    const d = newDevice();
    const s = await openSession(d);
    await s.send(commands.generateWrapKey, {
      id: 0x200, label: 'rsa import', domains: 1, capabilities: capabilities('import-wrapped'), algorithm: 9,
      delegatedCapabilities: capabilities('sign-ecdsa', 'exportable-under-wrap'),
    });
    const wrapPub = await s.send(commands.getPublicKey, { keyId: 0x200, type: 4 });
    const spki = unhex('30820122300d06092a864886f70d01010105000382010f003082010a0282010100' + hex(wrapPub.publicKey) + '0203010001');
    writeFileSync(join(dir, 'wrap.der'), spki);
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(dir, 'ec.pem')]);
    openssl(['pkcs8', '-topk8', '-nocrypt', '-in', join(dir, 'ec.pem'), '-outform', 'DER', '-out', join(dir, 'ec.der')]);
    const kEph = openssl(['rand', '32']);
    writeFileSync(join(dir, 'keph.bin'), kEph);
    const c1 = openssl([
      'pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', join(dir, 'wrap.der'), '-in', join(dir, 'keph.bin'),
      '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256',
    ]);
    const c2 = openssl(['enc', '-id-aes256-wrap-pad', '-K', kEph.toString('hex'), '-iv', 'A65959A6', '-in', join(dir, 'ec.der')]);
    const blob = new Uint8Array(Buffer.concat([c1, c2]));
    const res = await s.send(commands.putRsaWrappedKey, {
      wrapKeyId: 0x200, type: 3, id: 0x300, label: 'imported', domains: 1, capabilities: capabilities('sign-ecdsa'), algorithm: 12,
      oaepAlgorithm: 26, mgf1Algorithm: 33, blob, lHash: SHA256_EMPTY,
    });
    assert.deepEqual(res, { type: 3, id: 0x300 });
    const info = await s.send(commands.getObjectInfo, { id: 0x300, type: 3 });
    assert.equal(info.origin, 0x12);
    assert.equal(info.algorithm, 12);
    const expectedSpki = openssl(['pkey', '-inform', 'DER', '-in', join(dir, 'ec.der'), '-pubout', '-outform', 'DER']);
    const pub = await s.send(commands.getPublicKey, { keyId: 0x300 });
    assert.equal(hex(p256Spki(pub.publicKey)), expectedSpki.toString('hex'));
    // Tampered blob: INVALID_DATA; capabilities beyond the wrap key's delegated set: INSUFFICIENT_PERMISSIONS.
    const bad = blob.slice();
    bad[bad.length - 1] ^= 1;
    const base = {
      wrapKeyId: 0x200, type: 3, id: 0x301, label: 'x', domains: 1, capabilities: capabilities('sign-ecdsa'), algorithm: 12,
      oaepAlgorithm: 26, mgf1Algorithm: 33, blob: bad, lHash: SHA256_EMPTY,
    };
    assert.equal(await s.errorOf(commands.putRsaWrappedKey, base), 0x02);
    assert.equal(await s.errorOf(commands.putRsaWrappedKey, { ...base, blob, capabilities: capabilities('sign-ecdsa', 'sign-eddsa') }), 0x09);
    assert.equal(await s.errorOf(commands.putRsaWrappedKey, { ...base, blob, id: 0x300 }), 0x11);
    assert.equal(await s.errorOf(commands.putRsaWrappedKey, { ...base, blob, algorithm: 13 }), 0x02, 'P-256 material is not a P-384 key');
  });
});

test('vectors e_rsa_wrapped_key, device role: PutRsaWrappedKey of the recorded blobs under the vector RSA key gives the vector keys', async () => {
  const e = vectors().e_rsa_wrapped_key;
  const jwk = createPrivateKey(e.rsa_private_key_pem).export({ format: 'jwk' });
  const pq = Buffer.concat([Buffer.from(jwk.p!, 'base64url'), Buffer.from(jwk.q!, 'base64url')]);
  assert.equal(pq.length, 256);
  const s = await openSession(newDevice());
  await s.send(commands.putWrapKey, {
    id: 0x200, label: 'vector rsa', domains: 1, capabilities: capabilities('import-wrapped'), algorithm: 9,
    delegatedCapabilities: capabilities('sign-ecdsa', 'encrypt-ecb'), key: new Uint8Array(pq),
  });
  const wrapPub = await s.send(commands.getPublicKey, { keyId: 0x200, type: 4 });
  assert.equal(hex(wrapPub.publicKey), e.rsa_modulus_n);
  const base = { wrapKeyId: 0x200, label: 'v', domains: 1, oaepAlgorithm: 26, mgf1Algorithm: 33, lHash: SHA256_EMPTY };
  const ec = await s.send(commands.putRsaWrappedKey, {
    ...base, type: 3, id: 0x300, capabilities: capabilities('sign-ecdsa'), algorithm: 12, blob: unhex(e.wrapped_blob),
  });
  assert.deepEqual(ec, { type: 3, id: 0x300 });
  const pub = await s.send(commands.getPublicKey, { keyId: 0x300 });
  assert.equal('04' + hex(pub.publicKey), e.ec_p256_public_point);
  const sym = await s.send(commands.putRsaWrappedKey, {
    ...base, type: 8, id: 0x301, capabilities: capabilities('encrypt-ecb'), algorithm: 52, blob: unhex(e.symmetric_example.wrapped_blob),
  });
  assert.deepEqual(sym, { type: 8, id: 0x301 });
  const block = unhex('00112233445566778899aabbccddeeff');
  const expected = createCipheriv('aes-256-ecb', Buffer.from(e.symmetric_example.aes256_key_raw, 'hex'), null).setAutoPadding(false).update(block);
  assert.equal(hex(await s.send(commands.encryptAesEcb, { keyId: 0x301, data: block })), expected.toString('hex'));
});
