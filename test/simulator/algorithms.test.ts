/**
 * Real cryptography for every asymmetric algorithm the device has, checked by openssl: keys generated on the
 * device sign (ECDSA on every curve, Ed25519, RSA PKCS#1 v1.5 and PSS) and openssl verifies with the public key
 * read through GetPublicKey; openssl encrypts (OAEP, PKCS#1 v1.5) and the device decrypts; ECDH agrees with openssl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSpki } from '../../src/crypto/spki.js';
import { capabilities as caps } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { hex, newDevice, openSession, openssl, unhex, withTempDir, type TestSession } from './helpers.js';

async function pubPem(s: TestSession, id: number, dir: string): Promise<string> {
  const pub = await s.send(commands.getPublicKey, { keyId: id });
  const path = join(dir, `pub${id}.der`);
  writeFileSync(path, encodeSpki(pub.algorithm, pub.publicKey));
  return path;
}

const CURVES: [number, string, string][] = [
  [47, 'P-224', 'sha256'], [12, 'P-256', 'sha256'], [13, 'P-384', 'sha384'], [14, 'P-521', 'sha512'],
  [15, 'secp256k1', 'sha256'], [16, 'brainpoolP256r1', 'sha256'], [17, 'brainpoolP384r1', 'sha384'], [18, 'brainpoolP512r1', 'sha512'],
];

test('ECDSA on P-224/256/384/521, K-256 and brainpool 256/384/512 verifies with openssl dgst', async () => {
  await withTempDir(async (dir) => {
    const s = await openSession(newDevice());
    const msg = join(dir, 'msg');
    writeFileSync(msg, 'attest this, openssl');
    for (const [alg, , hash] of CURVES) {
      await s.send(commands.generateAsymmetricKey, { id: alg, label: 'ec', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: alg });
      const digest = openssl(['dgst', `-${hash}`, '-binary', msg]);
      const sig = await s.send(commands.signEcdsa, { keyId: alg, digest: new Uint8Array(digest) });
      writeFileSync(join(dir, 'sig'), sig);
      const out = openssl(['dgst', `-${hash}`, '-verify', await pubPem(s, alg, dir), '-keyform', 'DER', '-signature', join(dir, 'sig'), msg]).toString();
      assert.match(out, /Verified OK/, `algorithm ${alg}`);
    }
  });
});

test('ECDH on every curve gives the shared secret openssl derives', async () => {
  await withTempDir(async (dir) => {
    const s = await openSession(newDevice());
    for (const [alg, curve] of CURVES) {
      await s.send(commands.generateAsymmetricKey, { id: alg, label: 'ecdh', domains: 1, capabilities: caps('derive-ecdh'), algorithm: alg });
      openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', join(dir, 'peer.pem')]);
      const peerDer = openssl(['pkey', '-in', join(dir, 'peer.pem'), '-pubout', '-outform', 'DER']);
      const f = (await s.send(commands.getPublicKey, { keyId: alg })).publicKey.length / 2;
      const point = new Uint8Array(peerDer.subarray(peerDer.length - (2 * f + 1)));
      const secret = await s.send(commands.deriveEcdh, { keyId: alg, data: point });
      const expected = openssl(['pkeyutl', '-derive', '-inkey', join(dir, 'peer.pem'), '-peerkey', await pubPem(s, alg, dir), '-peerform', 'DER']);
      assert.equal(hex(secret), expected.toString('hex'), curve);
    }
    const bad = new Uint8Array(65).fill(1);
    bad[0] = 4;
    assert.equal(await s.errorOf(commands.deriveEcdh, { keyId: 12, data: bad }), 0x02, 'a point off the curve is INVALID_DATA');
  });
});

test('Ed25519: pure EdDSA signatures verify with openssl pkeyutl -rawin', async () => {
  await withTempDir(async (dir) => {
    const s = await openSession(newDevice());
    await s.send(commands.generateAsymmetricKey, { id: 1, label: 'ed', domains: 1, capabilities: caps('sign-eddsa'), algorithm: 46 });
    for (const len of [1, 32, 1000]) {
      const data = new Uint8Array(len).map((_, i) => i * 7);
      writeFileSync(join(dir, 'msg'), data);
      writeFileSync(join(dir, 'sig'), await s.send(commands.signEddsa, { keyId: 1, data }));
      const out = openssl(['pkeyutl', '-verify', '-pubin', '-keyform', 'DER', '-inkey', await pubPem(s, 1, dir), '-rawin', '-in', join(dir, 'msg'), '-sigfile', join(dir, 'sig')]);
      assert.match(out.toString(), /Signature Verified Successfully/);
    }
  });
});

test('RSA 2048/3072/4096: PKCS#1 v1.5 and PSS signatures verify with openssl; OAEP and PKCS#1 ciphertexts from openssl decrypt', { timeout: 300_000 }, async () => {
  await withTempDir(async (dir) => {
    const s = await openSession(newDevice());
    const msg = join(dir, 'msg');
    writeFileSync(msg, 'RSA on the software YubiHSM 2');
    for (const alg of [9, 10, 11]) {
      await s.send(commands.generateAsymmetricKey, {
        id: alg, label: 'rsa', domains: 1, capabilities: caps('sign-pkcs', 'sign-pss', 'decrypt-oaep', 'decrypt-pkcs'), algorithm: alg,
      });
      const pub = await pubPem(s, alg, dir);
      const digest = new Uint8Array(openssl(['dgst', '-sha256', '-binary', msg]));
      writeFileSync(join(dir, 'sig'), await s.send(commands.signPkcs1, { keyId: alg, data: digest }));
      assert.match(openssl(['dgst', '-sha256', '-verify', pub, '-keyform', 'DER', '-signature', join(dir, 'sig'), msg]).toString(), /Verified OK/);
      writeFileSync(join(dir, 'sig'), await s.send(commands.signPss, { keyId: alg, mgf1Algorithm: 33, saltLength: 32, digest }));
      const pss = openssl(['dgst', '-sha256', '-verify', pub, '-keyform', 'DER', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-sigopt', 'rsa_mgf1_md:sha256', '-signature', join(dir, 'sig'), msg]);
      assert.match(pss.toString(), /Verified OK/);
      const secret = unhex('00112233445566778899aabbccddeeff');
      writeFileSync(join(dir, 'secret'), secret);
      const oaep = openssl(['pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', pub, '-in', join(dir, 'secret'), '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha384', '-pkeyopt', 'rsa_mgf1_md:sha1']);
      const lHash = new Uint8Array(openssl(['dgst', '-sha384', '-binary'], Buffer.alloc(0)));
      assert.equal(hex(await s.send(commands.decryptOaep, { keyId: alg, mgf1Algorithm: 32, ciphertext: new Uint8Array(oaep), lHash })), hex(secret));
      const v15 = openssl(['pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', pub, '-in', join(dir, 'secret'), '-pkeyopt', 'rsa_padding_mode:pkcs1']);
      assert.equal(hex(await s.send(commands.decryptPkcs1, { keyId: alg, data: new Uint8Array(v15) })), hex(secret));
    }
  });
});
