import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { derBitString, derInteger, derNull, derOid, derSequence } from '../../src/crypto/der.js';
import { pkcs8FromPem } from '../../src/crypto/pkcs8.js';
import { parsePkcs8 } from '../../src/crypto/pkcs8.js';
import { rawPublicKey } from '../../src/crypto/keys.js';
import {
  encodeSpki,
  parseSpki,
  publicKeyObjectFromRaw,
  rawPublicFromKeyObject,
  spkiFromPem,
  spkiToPem,
} from '../../src/crypto/spki.js';
import { hexBytes, isCoded, loadVectors, openssl, tempDir, toHex } from './asym-helpers.js';

const vectors = loadVectors().e_rsa_wrapped_key;

test('P-256 and RSA SPKI known answers', () => {
  const xy = (vectors.ec_p256_public_point as string).slice(2);
  const spki = encodeSpki(12, hexBytes(xy));
  assert.equal(toHex(spki), '3059301306072a8648ce3d020106082a8648ce3d030107034200' + vectors.ec_p256_public_point);
  assert.deepEqual(parseSpki(spki), { algorithm: 12, publicKey: hexBytes(xy) });
  const rsaSpki = encodeSpki(9, hexBytes(vectors.rsa_modulus_n));
  const fromPem = createPublicKey(vectors.rsa_private_key_pem).export({ format: 'der', type: 'spki' });
  assert.equal(toHex(rsaSpki), fromPem.toString('hex'));
  assert.equal(toHex(rsaSpki).slice(0, 66), '30820122300d06092a864886f70d01010105000382010f003082010a0282010100');
  assert.equal(toHex(parseSpki(rsaSpki).publicKey), vectors.rsa_modulus_n);
  // RFC 8410 10.1.
  const ed = new Uint8Array(Buffer.from('MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=', 'base64'));
  assert.deepEqual(parseSpki(ed), { algorithm: 46, publicKey: ed.slice(12) });
  assert.equal(toHex(encodeSpki(46, ed.slice(12))), toHex(ed));
});

test('openssl: SPKI equals `openssl pkey -pubout` for every curve; compressed points are expanded', () => {
  const dir = tempDir();
  try {
    for (const [alg, name] of [[12, 'P-256'], [13, 'P-384'], [14, 'P-521'], [15, 'secp256k1'], [16, 'brainpoolP256r1'], [17, 'brainpoolP384r1'], [18, 'brainpoolP512r1'], [47, 'P-224']] as const) {
      const pem = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${name}`]).toString();
      const keyFile = dir.file(`k${alg}.pem`, pem);
      const spki = openssl(['pkey', '-in', keyFile, '-pubout', '-outform', 'DER']);
      const raw = rawPublicKey(alg, parsePkcs8(pkcs8FromPem(pem)).material);
      assert.equal(toHex(encodeSpki(alg, raw)), spki.toString('hex'), name);
      assert.deepEqual(parseSpki(new Uint8Array(spki)), { algorithm: alg, publicKey: raw });
      const compressed = openssl(['ec', '-in', keyFile, '-pubout', '-outform', 'DER', '-conv_form', 'compressed']);
      assert.ok(compressed.length < spki.length);
      assert.deepEqual(parseSpki(new Uint8Array(compressed)), { algorithm: alg, publicKey: raw }, `${name} compressed`);
      const obj = publicKeyObjectFromRaw(alg, raw);
      assert.deepEqual(rawPublicFromKeyObject(obj), { algorithm: alg, publicKey: raw });
    }
  } finally {
    dir.cleanup();
  }
});

test('PEM round trip', () => {
  const spki = encodeSpki(12, hexBytes((vectors.ec_p256_public_point as string).slice(2)));
  const pem = spkiToPem(spki);
  assert.match(pem, /^-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFKqoYJpIjDoAd\/RMNGlgpOxitjRg\n/);
  assert.deepEqual(spkiFromPem(pem), spki);
});

test('bad public keys give typed errors', () => {
  const xy = hexBytes((vectors.ec_p256_public_point as string).slice(2));
  const off = xy.slice();
  off[63] ^= 1;
  assert.throws(() => encodeSpki(12, off), isCoded('EC_POINT_INVALID', /^The bytes are not a point on prime256v1; check the public key and its curve\.$/));
  assert.throws(() => encodeSpki(12, xy.subarray(1)), isCoded('PUBLIC_KEY_LENGTH', /^A ecp256 public key is 64 bytes, got 63; check the key algorithm\.$/));
  assert.throws(() => encodeSpki(9, new Uint8Array(256)), isCoded('RSA_MODULUS_SIZE'));
  const n = BigInt('0x' + vectors.rsa_modulus_n);
  const rsa = (e: bigint, mod = n) =>
    derSequence(derSequence(derOid('1.2.840.113549.1.1.1'), derNull()), derBitString(derSequence(derInteger(mod), derInteger(e))));
  assert.throws(() => parseSpki(rsa(3n)), isCoded('UNSUPPORTED_RSA_EXPONENT'));
  assert.throws(() => parseSpki(rsa(65537n, n >> 8n)), isCoded('UNSUPPORTED_RSA_SIZE', /^RSA modulus of 2040 bits/));
  const ec = (curve: string, point: Uint8Array) => derSequence(derSequence(derOid('1.2.840.10045.2.1'), derOid(curve)), derBitString(point));
  assert.throws(() => parseSpki(ec('1.3.132.0.34', Uint8Array.from([4, ...xy]))), isCoded('EC_POINT_INVALID'));
  assert.throws(() => parseSpki(ec('1.2.840.10045.3.1.1', Uint8Array.from([4, ...xy]))), isCoded('UNSUPPORTED_CURVE'));
  assert.throws(() => parseSpki(derSequence(derSequence(derOid('1.3.101.112')), derBitString(new Uint8Array(31)))), isCoded('PUBLIC_KEY_LENGTH'));
  assert.throws(() => parseSpki(derSequence(derSequence(derOid('1.3.101.110')), derBitString(new Uint8Array(32)))), isCoded('UNSUPPORTED_KEY_TYPE'));
  assert.throws(() => encodeSpki(38, new Uint8Array(32)), isCoded('NOT_A_KEY_ALGORITHM'));
});
