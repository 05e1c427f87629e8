import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHash, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt } from 'node:crypto';
import fc from 'fast-check';
import { mgf1, oaepDecode, oaepEncode, oaepLabelHash, rsaOaepDecrypt, rsaOaepEncrypt, rsaPublicRaw } from '../../src/crypto/rsa-oaep.js';
import type { HashName } from '../../src/protocol/algorithms.js';
import { hexBytes, isCoded, loadVectors, openssl, tempDir, toHex } from './asym-helpers.js';

const vectors = loadVectors().e_rsa_wrapped_key;
const priv = createPrivateKey(vectors.rsa_private_key_pem);
const pub = createPublicKey(priv);
const hashes: HashName[] = ['sha1', 'sha256', 'sha384', 'sha512'];

test('EME-OAEP known answer: RSA Laboratories PKCS #1 v2.0 oaep-int.txt (SHA-1, MGF1-SHA-1, k = 128)', () => {
  const em = oaepEncode(hexBytes('d436e99569fd32a7c8a05bbc90d32c49'), 128, { hash: 'sha1', mgf1Hash: 'sha1' }, hexBytes('aafd12f659cae63489b479e5076ddec2f06cb58f'));
  assert.equal(
    toHex(em),
    '00eb7a19ace9e3006350e329504b45e2ca82310b26dcd87d5c68f1eea8f55267c31b2e8bb4251f84d7e0b2c04626f5aff93edcfb25c9c2b3ff8ae10e839a2ddb4cdcfe4ff47728b4a1b7c1362baad29ab48d2869d5024121435811591be392f982fb3e87d095aeb40448db972f3ac14f7bc275195281ce32d2f1b76d4d353e2d',
  );
  assert.equal(toHex(oaepDecode(em, 128, { hash: 'sha1', mgf1Hash: 'sha1' }) as Uint8Array), 'd436e99569fd32a7c8a05bbc90d32c49');
  // seedMask from the same file: MGF1(maskedDB, 20).
  assert.equal(toHex(mgf1('sha1', em.subarray(21), 20)), '41870b5ab029e657d95750b54c283c08725dbea9');
  assert.equal(toHex(oaepLabelHash('sha256')), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('agrees with node’s built-in OAEP when the MGF1 hash equals the OAEP hash and the label is empty', () => {
  const message = hexBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
  for (const h of hashes) {
    const theirs = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: h }, message);
    assert.equal(toHex(rsaOaepDecrypt(priv, new Uint8Array(theirs), { hash: h, mgf1Hash: h }) as Uint8Array), toHex(message), h);
    const ours = rsaOaepEncrypt(pub, message, { hash: h, mgf1Hash: h });
    assert.equal(ours.length, 256);
    assert.equal(privateDecrypt({ key: priv, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: h }, ours).toString('hex'), toHex(message), h);
  }
});

test('openssl pkeyutl: rsa_oaep_md ≠ rsa_mgf1_md and a non-empty label, both directions', () => {
  const dir = tempDir();
  try {
    const keyFile = dir.file('key.pem', vectors.rsa_private_key_pem);
    const message = hexBytes('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
    const combos: [HashName, HashName, string][] = [['sha1', 'sha384', ''], ['sha256', 'sha1', ''], ['sha512', 'sha256', ''], ['sha384', 'sha512', '616263'], ['sha256', 'sha256', '6c6162656c']];
    for (const [h, m, labelHex] of combos) {
      const opts = ['-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${h}`, '-pkeyopt', `rsa_mgf1_md:${m}`];
      if (labelHex) opts.push('-pkeyopt', `rsa_oaep_label:${labelHex}`);
      const params = { hash: h, mgf1Hash: m, lHash: new Uint8Array(createHash(h).update(Buffer.from(labelHex, 'hex')).digest()) };
      const ours = rsaOaepEncrypt(pub, message, params);
      const decrypted = openssl(['pkeyutl', '-decrypt', '-inkey', keyFile, ...opts, '-in', dir.file('c.bin', ours)]);
      assert.equal(decrypted.toString('hex'), toHex(message), `openssl decrypts ours: ${h}/${m}/${labelHex}`);
      const theirs = openssl(['pkeyutl', '-encrypt', '-inkey', keyFile, ...opts, '-in', dir.file('m.bin', message)]);
      assert.equal(toHex(rsaOaepDecrypt(priv, new Uint8Array(theirs), params) as Uint8Array), toHex(message), `we decrypt openssl's: ${h}/${m}/${labelHex}`);
      // The wrong MGF1 hash or label hash is a failure, not garbage.
      assert.equal(rsaOaepDecrypt(priv, new Uint8Array(theirs), { ...params, mgf1Hash: m === 'sha1' ? 'sha256' : 'sha1' }), undefined);
      assert.equal(rsaOaepDecrypt(priv, new Uint8Array(theirs), { ...params, lHash: oaepLabelHash(h, Uint8Array.of(1)) }), undefined);
    }
  } finally {
    dir.cleanup();
  }
});

/** EM from an arbitrary DB, so malformed paddings can be made (mgf1 is checked by the known answer above). */
function emFromDb(db: Uint8Array, hash: HashName, first = 0): Uint8Array {
  const hLen = createHash(hash).digest().length;
  const seed = new Uint8Array(hLen).fill(0x5a);
  const dbMask = mgf1(hash, seed, db.length);
  const maskedDb = db.map((b, i) => b ^ dbMask[i]);
  const seedMask = mgf1(hash, maskedDb, hLen);
  return Uint8Array.from([first, ...seed.map((b, i) => b ^ seedMask[i]), ...maskedDb]);
}

test('decoding fails with one result for every malformed encoding', () => {
  const k = 256;
  const p = { hash: 'sha256' as const, mgf1Hash: 'sha256' as const };
  const lHash = oaepLabelHash('sha256');
  const db = (tail: number[]) => {
    const d = new Uint8Array(k - 33);
    d.set(lHash);
    d.set(tail, d.length - tail.length);
    return d;
  };
  assert.equal(toHex(oaepDecode(emFromDb(db([1, 0xaa, 0xbb]), 'sha256'), k, p) as Uint8Array), 'aabb');
  assert.equal(toHex(oaepDecode(emFromDb(db([1]), 'sha256'), k, p) as Uint8Array), '');
  assert.equal(oaepDecode(emFromDb(db([1, 0xaa]), 'sha256', 1), k, p), undefined, 'Y ≠ 0');
  assert.equal(oaepDecode(emFromDb(db([]), 'sha256'), k, p), undefined, 'no 0x01 separator');
  assert.equal(oaepDecode(emFromDb(db([2, 1, 0xaa]), 'sha256'), k, p), undefined, 'non-zero byte before the separator');
  const wrongLabel = db([1, 0xaa]);
  wrongLabel[0] ^= 1;
  assert.equal(oaepDecode(emFromDb(wrongLabel, 'sha256'), k, p), undefined, 'lHash mismatch');
  assert.equal(oaepDecode(new Uint8Array(255), k, p), undefined, 'wrong length');
  // Raw RSA level: c ≥ n, wrong length, tampered.
  assert.equal(rsaOaepDecrypt(priv, new Uint8Array(256).fill(0xff), p), undefined);
  assert.equal(rsaOaepDecrypt(priv, new Uint8Array(255), p), undefined);
  const c = rsaOaepEncrypt(pub, Uint8Array.of(1, 2, 3), p);
  c[100] ^= 1;
  assert.equal(rsaOaepDecrypt(priv, c, p), undefined);
  // Raw RSA really is raw: encrypting EM and decrypting gives EM back through node's built-in OAEP.
  const em = oaepEncode(Uint8Array.of(7), k, p);
  assert.equal(privateDecrypt({ key: priv, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, rsaPublicRaw(pub, em)).toString('hex'), '07');
});

test('caller mistakes are usage errors', () => {
  assert.throws(() => oaepEncode(new Uint8Array(191), 256, { hash: 'sha256', mgf1Hash: 'sha256' }), isCoded('OAEP_MESSAGE_TOO_LONG', /^OAEP with a 256-byte key and sha256 carries at most 190 bytes, got 191\.$/));
  assert.throws(() => oaepEncode(new Uint8Array(1), 256, { hash: 'sha256', mgf1Hash: 'sha1', lHash: new Uint8Array(20) }), isCoded('OAEP_LHASH_LENGTH', /^lHash is 20 bytes but sha256 needs 32; hash the label with the OAEP hash\.$/));
  assert.throws(() => oaepEncode(new Uint8Array(1), 256, { hash: 'md5' as HashName, mgf1Hash: 'sha1' }), isCoded('UNSUPPORTED_HASH'));
  assert.throws(() => oaepEncode(new Uint8Array(1), 100, { hash: 'sha512', mgf1Hash: 'sha1' }), isCoded('OAEP_KEY_TOO_SMALL'));
  const ec = createPrivateKey({ key: Buffer.from(vectors.pkcs8_plaintext, 'hex'), format: 'der', type: 'pkcs8' });
  assert.throws(() => rsaOaepDecrypt(ec, new Uint8Array(256), { hash: 'sha256', mgf1Hash: 'sha256' }), isCoded('NOT_AN_RSA_KEY'));
});

test('property: encode/decode round trip for every hash pair', () => {
  fc.assert(
    fc.property(fc.constantFrom(...hashes), fc.constantFrom(...hashes), fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 20 }), (h, m, msg, label) => {
      const params = { hash: h, mgf1Hash: m, lHash: oaepLabelHash(h, label) };
      const out = oaepDecode(oaepEncode(msg, 256, params), 256, params);
      return out !== undefined && Buffer.from(out).equals(Buffer.from(msg));
    }),
  );
});
