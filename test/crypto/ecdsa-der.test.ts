import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import {
  ecdsaDerDecode,
  ecdsaDerToRaw,
  ecdsaRawToDer,
  ecdsaSignatureToDer,
  ecdsaSignDigestDer,
  ecdsaVerifyDigestDer,
} from '../../src/crypto/ecdsa-der.js';
import { curveParams } from '../../src/crypto/ecdsa.js';
import { generateKeyMaterial, privateKeyObject, publicKeyObject, rawPublicKey } from '../../src/crypto/keys.js';
import { encodeSpki } from '../../src/crypto/spki.js';
import { hexBytes, isCoded, openssl, tempDir, toHex } from './asym-helpers.js';

// RFC 6979 A.2.5: P-256 key and the SHA-256 signature of "sample".
const X = 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721';
const UXY = '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299';
const R = 'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716';
const S = 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8';
const RFC6979_DER = `3046022100${R}022100${S}`;

test('RFC 6979 A.2.5 signature: raw <-> DER, and node verifies the DER form', () => {
  assert.equal(toHex(rawPublicKey(12, hexBytes(X))), UXY);
  assert.equal(toHex(ecdsaRawToDer(hexBytes(R + S), 12)), RFC6979_DER);
  assert.equal(toHex(ecdsaDerToRaw(hexBytes(RFC6979_DER), 'prime256v1')), R + S);
  const pub = createPublicKey({ key: Buffer.from(encodeSpki(12, hexBytes(UXY))), format: 'der', type: 'spki' });
  assert.ok(verify('sha256', Buffer.from('sample'), pub, hexBytes(RFC6979_DER)));
  const digest = createHash('sha256').update('sample').digest();
  assert.ok(ecdsaVerifyDigestDer(12, hexBytes('04' + UXY), digest, hexBytes(RFC6979_DER)));
});

test('sizes come from the curve: small values are left-padded, high bits get a 00 octet, P-521 uses long lengths', () => {
  assert.equal(toHex(ecdsaSignatureToDer({ r: 1n, s: 1n }, 'prime256v1')), '3006020101020101');
  assert.equal(toHex(ecdsaDerToRaw(hexBytes('3006020101020102'), 'secp384r1')), '00'.repeat(47) + '01' + '00'.repeat(47) + '02');
  assert.equal(toHex(ecdsaRawToDer(hexBytes('80' + '00'.repeat(31) + '00'.repeat(31) + '7f'), 'prime256v1')), '3026022100' + '80' + '00'.repeat(31) + '02017f');
  const r521 = '01' + 'ff'.repeat(31) + '00'.repeat(34); // below n = 01ff…ffa5…
  const s521 = '00'.repeat(65) + '05';
  const der521 = ecdsaRawToDer(hexBytes(r521 + s521), 14);
  assert.equal(toHex(der521), '30470242' + r521 + '020105');
  const big = '01' + '00'.repeat(64) + '07';
  const d2 = ecdsaRawToDer(hexBytes(big + big), 'secp521r1');
  assert.equal(toHex(d2), '308188' + '0242' + big + '0242' + big);
  assert.equal(toHex(ecdsaDerToRaw(d2, 'secp521r1')), big + big);
  const small = '00' + '7f' + 'ff'.repeat(64);
  assert.equal(toHex(ecdsaRawToDer(hexBytes(small + small), 'secp521r1')), '308186' + '0241' + small.slice(2) + '0241' + small.slice(2));
  // 28-byte halves for P-224, 64 for brainpoolP512r1.
  assert.equal(ecdsaDerToRaw(hexBytes('3006020101020101'), 47).length, 56);
  assert.equal(ecdsaDerToRaw(hexBytes('3006020101020101'), 'brainpoolP512r1').length, 128);
});

test('strict decoding rejects malformed or out-of-range signatures', () => {
  const nHex = curveParams.prime256v1.n.toString(16);
  const bad: [string, string][] = [
    ['300702020001020101', 'DER_NON_MINIMAL_INTEGER'],
    ['3006020180020101', 'ECDSA_SIGNATURE_RANGE'], // negative r
    ['3006020100020101', 'ECDSA_SIGNATURE_RANGE'], // r = 0
    [`3026022100${nHex}020101`, 'ECDSA_SIGNATURE_RANGE'], // r = n
    ['300902010102010102010103', 'DER_TRAILING_BYTES'], // a third INTEGER
    ['3006020101020101' + '00', 'DER_TRAILING_BYTES'],
    ['3106020101020101', 'DER_UNEXPECTED_TAG'],
    ['3003020101', 'DER_TRUNCATED'],
    ['308006020101020101', 'DER_INDEFINITE_LENGTH'],
  ];
  for (const [h, code] of bad) assert.throws(() => ecdsaDerDecode(hexBytes(h), 'prime256v1'), isCoded(code), h);
  assert.throws(() => ecdsaDerToRaw(hexBytes(RFC6979_DER), 47), isCoded('ECDSA_SIGNATURE_RANGE', /^ECDSA signature values r and s must lie in \[1, n−1\] for secp224r1; the signature is invalid\.$/));
  assert.throws(() => ecdsaRawToDer(new Uint8Array(63), 12), isCoded('ECDSA_SIGNATURE_LENGTH', /^A raw prime256v1 signature is 64 bytes \(r‖s\), got 63\.$/));
  assert.equal(ecdsaVerifyDigestDer(12, hexBytes('04' + UXY), new Uint8Array(32), hexBytes('3006020180020101')), false);
});

test('ecdsaSignDigest signatures verify: openssl dgst for P-256, node for every curve', () => {
  const dir = tempDir();
  try {
    const msg = Buffer.from('digest me');
    for (const [alg, hash] of [[12, 'sha256'], [13, 'sha384'], [14, 'sha512'], [15, 'sha256'], [16, 'sha256'], [17, 'sha384'], [18, 'sha512'], [47, 'sha256']] as const) {
      const d = generateKeyMaterial(alg);
      const digest = createHash(hash).update(msg).digest();
      const der = ecdsaSignDigestDer(alg, d, digest);
      const pub = publicKeyObject(alg, d);
      assert.ok(verify(hash, msg, pub, der), `node verifies ${alg}`);
      assert.equal(toHex(ecdsaRawToDer(ecdsaDerToRaw(der, alg), alg)), toHex(der));
      assert.ok(verify(hash, msg, { key: pub, dsaEncoding: 'ieee-p1363' }, ecdsaDerToRaw(der, alg)), `P1363 form ${alg}`);
      if (alg === 12) {
        const pubFile = dir.file('pub.pem', pub.export({ format: 'pem', type: 'spki' }));
        const out = openssl(['dgst', '-sha256', '-verify', pubFile, '-signature', dir.file('sig.der', der), dir.file('msg.bin', msg)]);
        assert.match(out.toString(), /Verified OK/);
      }
      if (alg === 12 || alg === 13 || alg === 14 || alg === 15) {
        const point = Uint8Array.from([4, ...rawPublicKey(alg, d)]);
        assert.ok(ecdsaVerifyDigestDer(alg, point, digest, der));
        const theirs = sign(hash, msg, privateKeyObject(alg, d));
        assert.ok(ecdsaVerifyDigestDer(alg, point, digest, theirs), `we verify node's ${alg}`);
        const tampered = digest.slice();
        tampered[0] ^= 1;
        assert.equal(ecdsaVerifyDigestDer(alg, point, tampered, der), false);
      }
    }
  } finally {
    dir.cleanup();
  }
});

test('property: raw -> DER -> raw is the identity for every curve', () => {
  const names = Object.keys(curveParams) as (keyof typeof curveParams)[];
  fc.assert(
    fc.property(fc.constantFrom(...names), fc.bigInt({ min: 1n, max: (1n << 528n) }), fc.bigInt({ min: 1n, max: (1n << 528n) }), (name, a, b) => {
      const { n, size } = curveParams[name];
      const r = (a % (n - 1n)) + 1n;
      const s = (b % (n - 1n)) + 1n;
      const raw = hexBytes(r.toString(16).padStart(2 * size, '0') + s.toString(16).padStart(2 * size, '0'));
      const der = ecdsaRawToDer(raw, name);
      return der.length <= 2 * size + 9 && toHex(ecdsaDerToRaw(der, name)) === toHex(raw);
    }),
  );
});
