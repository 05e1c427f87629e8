import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import {
  digestInfo,
  pkcs1DigestInfoFor,
  pssEncode,
  pssVerify,
  rsaPkcs1SignDigest,
  rsaPkcs1VerifyDigest,
  rsaPssSignDigest,
  rsaPssVerifyDigest,
} from '../../src/crypto/rsa-sign.js';
import type { HashName } from '../../src/protocol/algorithms.js';
import { hexBytes, isCoded, loadVectors, openssl, opensslOk, tempDir, toHex } from './asym-helpers.js';

const vectors = loadVectors().e_rsa_wrapped_key;
const priv = createPrivateKey(vectors.rsa_private_key_pem);
const pub = createPublicKey(priv);
const hashes: HashName[] = ['sha1', 'sha256', 'sha384', 'sha512'];
const message = Buffer.from('hsm2kms signs this');
const digestOf = (h: string) => new Uint8Array(createHash(h).update(message).digest());

test('DigestInfo prefixes (RFC 8017 9.2 note 1) and SignPkcs1 input forms', () => {
  assert.equal(toHex(digestInfo('sha256', new Uint8Array(32))), '3031300d060960864801650304020105000420' + '00'.repeat(32));
  assert.equal(toHex(pkcs1DigestInfoFor(new Uint8Array(20))), '3021300906052b0e03021a05000414' + '00'.repeat(20));
  assert.equal(toHex(pkcs1DigestInfoFor(new Uint8Array(48))).slice(0, 38), '3041300d060960864801650304020205000430');
  assert.equal(toHex(pkcs1DigestInfoFor(new Uint8Array(64))).slice(0, 38), '3051300d060960864801650304020305000440');
  const whole = hexBytes('302d300d06096086480165030402040500041c' + 'ab'.repeat(28)); // SHA-224 DigestInfo, taken as is
  assert.equal(toHex(pkcs1DigestInfoFor(whole)), toHex(whole));
  assert.throws(() => pkcs1DigestInfoFor(new Uint8Array(33)), isCoded('RSA_BAD_DIGEST', /^A PKCS#1 signature input must be a SHA-1\/256\/384\/512 digest \(20\/32\/48\/64 bytes\) or a whole DigestInfo; got 33 bytes\.$/));
  assert.throws(() => pkcs1DigestInfoFor(hexBytes('3031300d060960864801650304020105000420' + '00'.repeat(31))), isCoded('RSA_BAD_DIGEST'));
  assert.throws(() => digestInfo('sha256', new Uint8Array(20)), isCoded('BAD_DIGEST_LENGTH'));
});

test('PKCS#1 v1.5: identical to node’s signature (deterministic), verified by node and by our verifier', () => {
  for (const h of hashes) {
    const d = digestOf(h);
    const ours = rsaPkcs1SignDigest(priv, d);
    assert.equal(toHex(ours), sign(h, message, priv).toString('hex'), h);
    assert.equal(toHex(rsaPkcs1SignDigest(priv, pkcs1DigestInfoFor(d))), toHex(ours), `${h}: whole DigestInfo`);
    assert.ok(verify(h, message, pub, ours));
    assert.ok(rsaPkcs1VerifyDigest(pub, d, ours));
    const bad = ours.slice();
    bad[10] ^= 1;
    assert.equal(rsaPkcs1VerifyDigest(pub, d, bad), false);
    assert.equal(rsaPkcs1VerifyDigest(pub, d, ours.subarray(1)), false);
  }
  assert.equal(rsaPkcs1VerifyDigest(pub, digestOf('sha256'), new Uint8Array(256).fill(0xff)), false, 's ≥ n');
});

test('EMSA-PSS known answer: RSA Laboratories pss-int.txt (SHA-1, MGF1-SHA-1, salt 20, 1024-bit key)', () => {
  const mHash = hexBytes('37b66ae0445843353d47ecb0b4fd14c110e62d6a');
  const salt = hexBytes('e3b5d5d002c1bce50c2b65ef88a188d83bce7e61');
  const em =
    '66e4672e836ad121ba244bed6576b867d9a447c28a6e66a5b87dee7fbc7e65af5057f86fae8984d9ba7f969ad6fe02a4d75f7445fefdd85b6d' +
    '3a477c28d24ba1e3756f792dd1dce8ca94440ecb5279ecd3183a311fc896da1cb39311af37ea4a75e24bdbfd5c1da0de7cecdf1a896f9d8bc8' +
    '16d97cd7a2c43bad546fbe8cfebc';
  assert.equal(toHex(pssEncode(mHash, 1023, { mgf1Hash: 'sha1', saltLength: 20 }, salt)), em);
  assert.ok(pssVerify(mHash, hexBytes(em), 1023, { mgf1Hash: 'sha1', saltLength: 20 }));
  assert.ok(pssVerify(mHash, hexBytes(em), 1023, { mgf1Hash: 'sha1', saltLength: 'auto' }));
  assert.equal(pssVerify(mHash, hexBytes(em), 1023, { mgf1Hash: 'sha1', saltLength: 19 }), false);
  const n =
    'a2ba40ee07e3b2bd2f02ce227f36a195024486e49c19cb41bbbdfbba98b22b0e577c2eeaffa20d883a76e65e394c69d4b3c05a1e8fadda27edb2a42bc000fe88' +
    '8b9b32c22d15add0cd76b3e7936e19955b220dd17d4ea904b1ec102b2e4de7751222aa99151024c7cb41cc5ea21d00eeb41f7c800834d2c6e06bce3bce7ea9a5';
  const s =
    '8daa627d3de7595d63056c7ec659e54406f10610128baae821c8b2a0f3936d54dc3bdce46689f6b7951bb18e840542769718d5715d210d85efbb596192032c42' +
    'be4c29972c856275eb6d5a45f05f51876fc6743deddd28caec9bb30ea99e02c3488269604fe497f74ccd7c7fca1671897123cbd30def5d54a2b5536ad90a747e';
  const key = createPublicKey({ key: { kty: 'RSA', n: Buffer.from(n, 'hex').toString('base64url'), e: 'AQAB' }, format: 'jwk' });
  assert.ok(rsaPssVerifyDigest(key, mHash, hexBytes(s), { mgf1Hash: 'sha1', saltLength: 20 }));
  assert.equal(rsaPssVerifyDigest(key, mHash, hexBytes(s), { mgf1Hash: 'sha256', saltLength: 20 }), false);
});

test('PSS with MGF1 = hash: node verifies ours and we verify node’s, for salt 0, hLen and max', () => {
  for (const h of hashes) {
    const d = digestOf(h);
    const hLen = d.length;
    for (const saltLength of [0, hLen, 256 - hLen - 2]) {
      const ours = rsaPssSignDigest(priv, d, { mgf1Hash: h, saltLength });
      assert.ok(verify(h, message, { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, ours), `${h} salt ${saltLength}`);
      assert.ok(rsaPssVerifyDigest(pub, d, ours, { mgf1Hash: h, saltLength }));
      const theirs = sign(h, message, { key: priv, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
      assert.ok(rsaPssVerifyDigest(pub, d, theirs, { mgf1Hash: h, saltLength }));
      assert.ok(rsaPssVerifyDigest(pub, d, theirs, { mgf1Hash: h, saltLength: 'auto' }));
      assert.equal(rsaPssVerifyDigest(pub, digestOf(h).map((b, i) => (i === 0 ? b ^ 1 : b)), theirs, { mgf1Hash: h, saltLength }), false);
    }
  }
  assert.throws(() => rsaPssSignDigest(priv, digestOf('sha256'), { mgf1Hash: 'sha256', saltLength: 223 }), isCoded('PSS_SALT_LENGTH', /^Salt length 223 does not fit: with sha256 and this key the salt can be 0 to 222 bytes\.$/));
  assert.throws(() => rsaPssSignDigest(priv, new Uint8Array(28), { mgf1Hash: 'sha256', saltLength: 0 }), isCoded('BAD_DIGEST_LENGTH'));
});

test('openssl: dgst verifies PKCS#1 and PSS; pkeyutl verifies and signs PSS with an MGF1 hash ≠ the digest hash', () => {
  const dir = tempDir();
  try {
    const pubFile = dir.file('pub.pem', pub.export({ format: 'pem', type: 'spki' }));
    const keyFile = dir.file('key.pem', vectors.rsa_private_key_pem);
    const msgFile = dir.file('msg.bin', message);
    for (const h of hashes) {
      const d = digestOf(h);
      const sigFile = dir.file('pkcs1.sig', rsaPkcs1SignDigest(priv, d));
      assert.match(openssl(['dgst', `-${h}`, '-verify', pubFile, '-signature', sigFile, msgFile]).toString(), /Verified OK/, `pkcs1 ${h}`);
      const pssFile = dir.file('pss.sig', rsaPssSignDigest(priv, d, { mgf1Hash: h, saltLength: d.length }));
      assert.match(
        openssl(['dgst', `-${h}`, '-sigopt', 'rsa_padding_mode:pss', '-sigopt', `rsa_pss_saltlen:${d.length}`, '-verify', pubFile, '-signature', pssFile, msgFile]).toString(),
        /Verified OK/,
        `pss ${h}`,
      );
    }
    const digestFile = dir.file('digest.bin', digestOf('sha256'));
    for (const [mgf, salt] of [['sha1', 32], ['sha512', 10], ['sha384', 0]] as const) {
      const opts = ['-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', 'digest:sha256', '-pkeyopt', `rsa_mgf1_md:${mgf}`, '-pkeyopt', `rsa_pss_saltlen:${salt}`];
      const sigFile = dir.file('x.sig', rsaPssSignDigest(priv, digestOf('sha256'), { mgf1Hash: mgf, saltLength: salt }));
      const ok = opensslOk(['pkeyutl', '-verify', '-pubin', '-inkey', pubFile, ...opts, '-in', digestFile, '-sigfile', sigFile]);
      assert.match(ok.stdout, /Signature Verified Successfully/, `pkeyutl verify mgf1 ${mgf}: ${ok.stderr}`);
      const theirs = openssl(['pkeyutl', '-sign', '-inkey', keyFile, ...opts, '-in', digestFile]);
      assert.ok(rsaPssVerifyDigest(pub, digestOf('sha256'), new Uint8Array(theirs), { mgf1Hash: mgf, saltLength: salt }), `we verify openssl mgf1 ${mgf}`);
      // The same signature does not verify with the MGF1 hash tied to the digest hash.
      const tied = opensslOk(['pkeyutl', '-verify', '-pubin', '-inkey', pubFile, '-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', 'digest:sha256', '-pkeyopt', `rsa_pss_saltlen:${salt}`, '-in', digestFile, '-sigfile', sigFile]);
      assert.equal(tied.ok, false);
    }
  } finally {
    dir.cleanup();
  }
});
