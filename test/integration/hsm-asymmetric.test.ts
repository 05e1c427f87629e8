/**
 * Asymmetric keys through the client over HTTP (PROTOCOL.md 5.4), cross-checked with openssl and node:crypto:
 * public keys as PEM load in `openssl pkey -pubin` and match; device ECDSA signatures verify with
 * `openssl dgst -sha256 -verify`; PKCS#1 v1.5, PSS and Ed25519 signatures verify; PKCS#1/OAEP decryption of
 * openssl-encrypted data; ECDH agrees with node:crypto; keys imported from PKCS#8 keep their public key.
 */
import assert from 'node:assert/strict';
import { constants, createECDH, createHash, generateKeyPairSync, publicEncrypt, verify } from 'node:crypto';
import test from 'node:test';
import { AsymmetricKey, WrapKey } from '../../src/client/index.js';
import { httpRig } from '../client/harness.js';
import { OpenSsl } from '../client/openssl.js';

const sha256 = (b: Uint8Array | string) => new Uint8Array(createHash('sha256').update(b).digest());

test('EC P-256: PEM public key loads in openssl; device ECDSA signature verifies with openssl dgst', async (t) => {
  const rig = await httpRig();
  const ossl = new OpenSsl();
  t.after(async () => {
    ossl.cleanup();
    await rig.close();
  });
  const s = await rig.open();
  t.after(() => s.close());
  const key = await AsymmetricKey.generate(s, {
    id: 0x100, label: 'YubiHSM Signing Key', domains: 1, capabilities: 'exportable-under-wrap,sign-ecdsa', algorithm: 'ecp256',
  });
  const pub = await key.getPublicKey();
  assert.equal(pub.algorithm, 12);
  assert.equal(pub.raw.length, 64);
  assert.match(pub.pem, /^-----BEGIN PUBLIC KEY-----\n/);
  ossl.write('key.pub', pub.pem);
  assert.match(ossl.run('pkey', '-pubin', '-in', 'key.pub', '-noout', '-text'), /ASN1 OID: prime256v1/);
  ossl.run('pkey', '-pubin', '-in', 'key.pub', '-outform', 'DER', '-out', 'key.der');
  assert.deepEqual(ossl.read('key.der'), pub.spki);

  const message = 'Message signed by the YubiHSM\n';
  const sig = await key.signEcdsa(sha256(message));
  ossl.write('msg.txt', message);
  ossl.write('msg.sig', sig);
  assert.match(ossl.run('dgst', '-sha256', '-verify', 'key.pub', '-signature', 'msg.sig', 'msg.txt'), /Verified OK/);
  ossl.write('other.txt', 'another message\n');
  assert.throws(() => ossl.run('dgst', '-sha256', '-verify', 'key.pub', '-signature', 'msg.sig', 'other.txt'));

  const info = await key.getInfo();
  assert.equal(info.labelText, 'YubiHSM Signing Key');
  assert.equal(info.origin, 0x01);
});

test('every EC curve and Ed25519: generate, public key parses in openssl, signatures verify with node:crypto', async (t) => {
  const rig = await httpRig();
  const ossl = new OpenSsl();
  t.after(async () => {
    ossl.cleanup();
    await rig.close();
  });
  const s = await rig.open();
  t.after(() => s.close());
  const curves: [string, string, (d: Uint8Array) => Uint8Array][] = [
    ['ecp224', 'secp224r1', (m) => new Uint8Array(createHash('sha224').update(m).digest())],
    ['ecp384', 'secp384r1', (m) => new Uint8Array(createHash('sha384').update(m).digest())],
    ['ecp521', 'secp521r1', (m) => new Uint8Array(createHash('sha512').update(m).digest())],
    ['eck256', 'secp256k1', sha256],
    ['ecbp256', 'brainpoolP256r1', sha256],
    ['ecbp384', 'brainpoolP384r1', (m) => new Uint8Array(createHash('sha384').update(m).digest())],
    ['ecbp512', 'brainpoolP512r1', (m) => new Uint8Array(createHash('sha512').update(m).digest())],
  ];
  let id = 0x200;
  const msg = Buffer.from('curve test');
  for (const [alg, curve, hash] of curves) {
    const key = await AsymmetricKey.generate(s, { id: id++, domains: 1, capabilities: 'sign-ecdsa', algorithm: alg });
    const pub = await key.getPublicKey();
    ossl.write(`${alg}.pem`, pub.pem);
    assert.match(ossl.run('pkey', '-pubin', '-in', `${alg}.pem`, '-noout', '-text'), new RegExp(curve, 'i'));
    const sig = await key.signEcdsa(hash(msg));
    const hashName = { 28: 'sha224', 32: 'sha256', 48: 'sha384', 64: 'sha512' }[hash(msg).length]!;
    assert.ok(verify(hashName, msg, pub.pem, sig), `${alg} signature verifies`);
  }
  const ed = await AsymmetricKey.generate(s, { id: id++, domains: 1, capabilities: 'sign-eddsa', algorithm: 'ed25519' });
  const edPub = await ed.getPublicKey();
  assert.equal(edPub.raw.length, 32);
  const edSig = await ed.signEddsa(msg);
  assert.equal(edSig.length, 64);
  assert.ok(verify(null, msg, edPub.pem, edSig));
});

test('RSA-2048 imported from PKCS#8: public key matches, PKCS#1 v1.5 / PSS signatures, PKCS#1 / OAEP decryption', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  t.after(() => s.close());
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs8 = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
  const key = await AsymmetricKey.put(s, {
    id: 0x300, domains: 1, capabilities: 'sign-pkcs,sign-pss,decrypt-pkcs,decrypt-oaep', pkcs8,
  });
  const pub = await key.getPublicKey();
  assert.equal(pub.algorithm, 9);
  assert.deepEqual(pub.spki, new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })));
  assert.equal((await key.getInfo()).origin, 0x02);

  const msg = Buffer.from('rsa message');
  assert.ok(verify('sha256', msg, publicKey, await key.signPkcs1(sha256(msg))));
  const pss = await key.signPss(sha256(msg));
  assert.ok(verify('sha256', msg, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, pss));

  const secret = Buffer.from('a secret for the HSM');
  const ct1 = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, secret);
  assert.deepEqual(Buffer.from(await key.decryptPkcs1(ct1)), secret);
  const ct2 = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, secret);
  assert.deepEqual(Buffer.from(await key.decryptOaep(ct2)), secret);
  const label = Buffer.from('label');
  const ct3 = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha384', oaepLabel: label }, secret);
  await assert.rejects(key.decryptOaep(ct3), { code: 'HSM_INVALID_DATA' });
  assert.deepEqual(Buffer.from(await key.decryptOaep(ct3, { oaepHash: 'sha384', mgf1Hash: 'sha384', oaepLabel: label })), secret);
});

test('ECDH: device shared secret equals node:crypto; EC key put as a raw scalar keeps its public key', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  t.after(() => s.close());
  const mine = createECDH('prime256v1');
  mine.generateKeys();
  const key = await AsymmetricKey.put(s, { id: 0x400, domains: 1, capabilities: 'derive-ecdh', algorithm: 'ecp256', key: new Uint8Array(mine.getPrivateKey()) });
  assert.deepEqual(Buffer.from((await key.getPublicKey()).raw), mine.getPublicKey().subarray(1));
  const peer = createECDH('prime256v1');
  peer.generateKeys();
  const shared = await key.deriveEcdh(new Uint8Array(peer.getPublicKey()));
  assert.deepEqual(Buffer.from(shared), peer.computeSecret(mine.getPublicKey()));
  const sharedXY = await key.deriveEcdh(new Uint8Array(peer.getPublicKey().subarray(1)));
  assert.deepEqual(sharedXY, shared);
  const bad = new Uint8Array(peer.getPublicKey());
  bad[40] ^= 1;
  await assert.rejects(key.deriveEcdh(bad), { code: 'HSM_INVALID_DATA', message: /^DeriveEcdh failed with INVALID_DATA: / });
});

test('SignSshCertificate reaches the device (an EC CA key: INVALID_DATA, the device signs SSH certificates with RSA keys only); RSA wrap keys are generated', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  t.after(() => s.close());
  const key = await AsymmetricKey.generate(s, { id: 0x500, domains: 1, capabilities: 'sign-ssh-certificate', algorithm: 'ecp256' });
  await assert.rejects(key.signSshCertificate(0x501, 43, new Uint8Array(40)), {
    code: 'HSM_INVALID_DATA',
    message: /^SignSshCertificate failed with INVALID_DATA: /,
  });
  assert.equal(s.status, 'open');
  const rsaWrap = await WrapKey.generate(s, { id: 0x502, domains: 1, capabilities: 'import-wrapped', delegatedCapabilities: 'sign-ecdsa', algorithm: 'rsa2048' });
  const pub = await rsaWrap.getPublicKey();
  assert.equal(pub.algorithm, 9);
  assert.equal(pub.raw.length, 256);
  assert.match(pub.pem, /^-----BEGIN PUBLIC KEY-----/);
});
