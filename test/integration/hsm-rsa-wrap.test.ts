/**
 * The firmware 2.4 asymmetric-wrap commands through the client over HTTP (PROTOCOL.md 5.8, 6), cross-checked with
 * openssl: PutPublicWrapKey (0x73) from an openssl public key; GetRsaWrappedKey (0x74) unwrapped with
 * `openssl pkeyutl -decrypt` (RSA-OAEP) and `openssl enc -d -id-aes256-wrap-pad -iv A65959A6` gives a PKCS#8 whose
 * public key equals the device's; PutRsaWrappedKey (0x75) of a blob made with openssl; ExportRsaWrapped (0x76) /
 * ImportRsaWrapped (0x77) round trip.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes, verify } from 'node:crypto';
import test from 'node:test';
import { AsymmetricKey, PublicWrapKey, WrapKey } from '../../src/client/index.js';
import { httpRig } from '../client/harness.js';
import { OpenSsl } from '../client/openssl.js';

const sha256 = (b: Uint8Array | string) => new Uint8Array(createHash('sha256').update(b).digest());

/** An RSA key pair made by openssl: private PEM (PKCS#8) and public PEM file names. */
function opensslRsa(ossl: OpenSsl, name: string, bits: number): { priv: string; pub: string } {
  ossl.run('genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', `${name}.pem`);
  ossl.run('pkey', '-in', `${name}.pem`, '-pubout', '-out', `${name}.pub`);
  return { priv: `${name}.pem`, pub: `${name}.pub` };
}

/** openssl's unwrap of C1 ‖ C2: RSA-OAEP with the given hashes, then AES key wrap with padding. */
function opensslUnwrap(ossl: OpenSsl, blob: Uint8Array, priv: string, k: number, hash: string): Uint8Array {
  ossl.write('c1.bin', blob.subarray(0, k));
  ossl.write('c2.bin', blob.subarray(k));
  ossl.run('pkeyutl', '-decrypt', '-inkey', priv, '-in', 'c1.bin', '-out', 'keph.bin',
    '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${hash}`, '-pkeyopt', `rsa_mgf1_md:${hash}`);
  const keph = ossl.read('keph.bin');
  assert.equal(keph.length, 32, 'aes256 ephemeral key');
  ossl.run('enc', '-d', '-id-aes256-wrap-pad', '-K', Buffer.from(keph).toString('hex'), '-iv', 'A65959A6', '-in', 'c2.bin', '-out', 'payload.bin');
  return ossl.read('payload.bin');
}

test('0x73 + 0x74: a key wrapped for an openssl RSA-4096 key unwraps with openssl to the device key (KMS RSA_AES_KEY_WRAP_SHA_256)', async (t) => {
  const rig = await httpRig();
  const ossl = new OpenSsl();
  t.after(async () => {
    ossl.cleanup();
    await rig.close();
  });
  // Key generation by openssl first: a slow RSA-4096 generation must not leave the session idle past 30 s.
  const kms = opensslRsa(ossl, 'kms', 4096);
  const s = await rig.open();
  t.after(() => s.close());
  const wrap = await PublicWrapKey.put(s, {
    id: 0x101, label: 'AWS KMS Wrap Key', domains: 'all', capabilities: 'export-wrapped',
    delegatedCapabilities: 'exportable-under-wrap,sign-ecdsa,encrypt-cbc,decrypt-cbc', publicKey: new TextDecoder().decode(ossl.read(kms.pub)),
  });
  const wrapInfo = await wrap.getInfo();
  assert.equal(wrapInfo.type, 9);
  assert.equal(wrapInfo.algorithm, 11);
  ossl.run('pkey', '-pubin', '-in', kms.pub, '-outform', 'DER', '-out', 'kms.pub.der');
  assert.deepEqual((await wrap.getPublicKey()).spki, ossl.read('kms.pub.der'));

  const key = await AsymmetricKey.generate(s, {
    id: 0x100, label: 'YubiHSM Signing Key', domains: 1, capabilities: 'exportable-under-wrap,sign-ecdsa', algorithm: 'ecp256',
  });
  const blob = await key.getRsaWrappedKey(wrap);
  assert.equal(blob.length, 512 + 8 * (Math.ceil(138 / 8) + 1), 'C1 (512) ‖ KWP of the 138-byte PKCS#8');
  const pkcs8 = opensslUnwrap(ossl, blob, kms.priv, 512, 'sha256');
  ossl.write('key.p8', pkcs8);
  ossl.run('pkey', '-inform', 'DER', '-in', 'key.p8', '-pubout', '-outform', 'DER', '-out', 'derived.der');
  assert.deepEqual(ossl.read('derived.der'), (await key.getPublicKey()).spki);
  assert.notDeepEqual(await key.getRsaWrappedKey(wrap), blob, 'OAEP and the ephemeral key are fresh each time');
});

test('0x74 with SHA-1 OAEP/MGF1 (KMS RSA_AES_KEY_WRAP_SHA_1) and an OAEP label', async (t) => {
  const rig = await httpRig();
  const ossl = new OpenSsl();
  t.after(async () => {
    ossl.cleanup();
    await rig.close();
  });
  const rsa = opensslRsa(ossl, 'w', 2048);
  const s = await rig.open();
  t.after(() => s.close());
  const wrap = await PublicWrapKey.put(s, {
    id: 0x20, domains: 1, capabilities: 'export-wrapped', delegatedCapabilities: 'exportable-under-wrap,sign-ecdsa',
    publicKey: new TextDecoder().decode(ossl.read(rsa.pub)),
  });
  const key = await AsymmetricKey.generate(s, { id: 0x21, domains: 1, capabilities: 'exportable-under-wrap,sign-ecdsa', algorithm: 'ecp384' });
  const blob = await key.getRsaWrappedKey(wrap, { oaepHash: 'sha1', mgf1Hash: 'sha1' });
  ossl.write('k.p8', opensslUnwrap(ossl, blob, rsa.priv, 256, 'sha1'));
  ossl.run('pkey', '-inform', 'DER', '-in', 'k.p8', '-pubout', '-outform', 'DER', '-out', 'k.pub.der');
  assert.deepEqual(ossl.read('k.pub.der'), (await key.getPublicKey()).spki);

  const labelled = await key.getRsaWrappedKey(wrap, { oaepLabel: new TextEncoder().encode('hsm2kms') });
  ossl.write('c1.bin', labelled.subarray(0, 256));
  assert.throws(() => ossl.run('pkeyutl', '-decrypt', '-inkey', rsa.priv, '-in', 'c1.bin', '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256'));
  ossl.run('pkeyutl', '-decrypt', '-inkey', rsa.priv, '-in', 'c1.bin', '-out', 'k2.bin', '-pkeyopt', 'rsa_padding_mode:oaep',
    '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', `rsa_oaep_label:${Buffer.from('hsm2kms').toString('hex')}`);
  assert.equal(ossl.read('k2.bin').length, 32);
});

test('0x75: a P-256 key wrapped by openssl is imported under an RSA wrap key and signs as itself', async (t) => {
  const rig = await httpRig();
  const ossl = new OpenSsl();
  t.after(async () => {
    ossl.cleanup();
    await rig.close();
  });
  const s = await rig.open();
  t.after(() => s.close());
  const rsa = opensslRsa(ossl, 'unwrap', 2048);
  const unwrapKey = await WrapKey.put(s, {
    id: 0x30, domains: 1, capabilities: 'import-wrapped', delegatedCapabilities: 'sign-ecdsa,exportable-under-wrap',
    pkcs8: new Uint8Array(Buffer.from(new TextDecoder().decode(ossl.read(rsa.priv)).replace(/-----[^-]+-----|\s/g, ''), 'base64')),
  });
  assert.equal((await unwrapKey.getPublicKey()).algorithm, 9);

  ossl.run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.pem');
  ossl.run('pkcs8', '-topk8', '-nocrypt', '-in', 'ec.pem', '-outform', 'DER', '-out', 'ec.p8');
  ossl.run('pkey', '-in', 'ec.pem', '-pubout', '-out', 'ec.pub');
  const keph = randomBytes(32);
  ossl.write('keph.bin', keph);
  ossl.run('pkeyutl', '-encrypt', '-pubin', '-inkey', rsa.pub, '-in', 'keph.bin', '-out', 'c1.bin',
    '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256');
  ossl.run('enc', '-id-aes256-wrap-pad', '-K', keph.toString('hex'), '-iv', 'A65959A6', '-in', 'ec.p8', '-out', 'c2.bin');
  const blob = new Uint8Array(Buffer.concat([ossl.read('c1.bin'), ossl.read('c2.bin')]));

  const imported = await unwrapKey.putRsaWrappedKey(blob, { id: 0x31, label: 'from openssl', domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  assert.ok(imported instanceof AsymmetricKey);
  const info = await imported.getInfo();
  assert.equal(info.origin, 0x12);
  assert.equal(info.labelText, 'from openssl');
  const pem = (await imported.getPublicKey()).pem;
  assert.equal(pem, new TextDecoder().decode(ossl.read('ec.pub')));
  const msg = 'imported and signing';
  assert.ok(verify('sha256', Buffer.from(msg), pem, await (imported as AsymmetricKey).signEcdsa(sha256(msg))));
  const tampered = blob.slice();
  tampered[tampered.length - 1] ^= 1;
  await assert.rejects(
    unwrapKey.putRsaWrappedKey(tampered, { id: 0x32, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' }),
    { code: 'HSM_INVALID_DATA' },
  );
});

test('0x76 + 0x77: a whole object exported under a public wrap key is re-imported under the matching RSA wrap key', async (t) => {
  const rig = await httpRig();
  const ossl = new OpenSsl();
  t.after(async () => {
    ossl.cleanup();
    await rig.close();
  });
  const s = await rig.open();
  t.after(() => s.close());
  const rsa = opensslRsa(ossl, 'pair', 2048);
  const delegated = 'sign-ecdsa,exportable-under-wrap';
  const pub = await PublicWrapKey.put(s, { id: 0x50, domains: 1, capabilities: 'export-wrapped', delegatedCapabilities: delegated, publicKey: new TextDecoder().decode(ossl.read(rsa.pub)) });
  const priv = await WrapKey.put(s, {
    id: 0x50, domains: 1, capabilities: 'import-wrapped', delegatedCapabilities: delegated,
    pkcs8: new Uint8Array(Buffer.from(new TextDecoder().decode(ossl.read(rsa.priv)).replace(/-----[^-]+-----|\s/g, ''), 'base64')),
  });
  const key = await AsymmetricKey.generate(s, { id: 0x51, label: 'roundtrip', domains: 1, capabilities: delegated, algorithm: 'ecp256' });
  const pem = (await key.getPublicKey()).pem;
  const blob = await key.exportRsaWrapped(pub);
  await key.delete();
  const back = await priv.importRsaWrapped(blob);
  assert.ok(back instanceof AsymmetricKey);
  assert.equal(back.id, 0x51);
  const info = await back.getInfo();
  assert.equal(info.origin, 0x11);
  assert.equal(info.labelText, 'roundtrip');
  assert.equal((await back.getPublicKey()).pem, pem);
  await assert.rejects(priv.importRsaWrapped(blob), { code: 'HSM_OBJECT_EXISTS' });
});
