import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import {
  derBitString,
  derExplicit,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derSequence,
} from '../../src/crypto/der.js';
import { generateKeyMaterial, publicKeySpki } from '../../src/crypto/keys.js';
import { encodePkcs8, parsePkcs8, pkcs8FromPem, pkcs8ToPem } from '../../src/crypto/pkcs8.js';
import { hexBytes, isCoded, loadVectors, openssl, tempDir, toHex } from './asym-helpers.js';

const vectors = loadVectors().e_rsa_wrapped_key;
const D = vectors.ec_p256_private_scalar as string;
const PUB = vectors.ec_p256_public_point as string;

// The four RFC 5915 variants of the vector key, written out by hand (lengths counted independently).
const P256_ALG_ID = '301306072a8648ce3d020106082a8648ce3d030107';
const variants = {
  // no [0], with [1]: OpenSSL's form, = vectors.pkcs8_plaintext (138 bytes)
  openssl: `308187020100${P256_ALG_ID}046d306b0201010420${D}a144034200${PUB}`,
  // no [0], no [1]
  bare: `3041020100${P256_ALG_ID}042730250201010420${D}`,
  // [0], no [1]
  params: `304d020100${P256_ALG_ID}043330310201010420${D}a00a06082a8648ce3d030107`,
  // [0] and [1]
  both: `308193020100${P256_ALG_ID}0479307702010104 20${D}a00a06082a8648ce3d030107a144034200${PUB}`.replace(' ', ''),
};

const curves: [number, string][] = [
  [12, 'P-256'], [13, 'P-384'], [14, 'P-521'], [15, 'secp256k1'], [16, 'brainpoolP256r1'], [17, 'brainpoolP384r1'],
  [18, 'brainpoolP512r1'], [47, 'P-224'],
];

test('P-256 PKCS#8 is the 138-byte OpenSSL form of PROTOCOL.md 6.2 (vector)', () => {
  assert.equal(variants.openssl, vectors.pkcs8_plaintext);
  const der = encodePkcs8(12, hexBytes(D));
  assert.equal(der.length, 138);
  assert.equal(toHex(der), vectors.pkcs8_plaintext);
});

test('the four ECPrivateKey variants: encoder options produce them and the parser accepts all', () => {
  assert.equal(toHex(encodePkcs8(12, hexBytes(D), { publicKey: false })), variants.bare);
  assert.equal(toHex(encodePkcs8(12, hexBytes(D), { parameters: true, publicKey: false })), variants.params);
  assert.equal(toHex(encodePkcs8(12, hexBytes(D), { parameters: true })), variants.both);
  for (const [name, h] of Object.entries(variants)) {
    const parsed = parsePkcs8(hexBytes(h));
    assert.equal(parsed.algorithm, 12, name);
    assert.equal(toHex(parsed.material), D, name);
    // node (OpenSSL) reads every variant as the same key.
    const k = createPrivateKey({ key: Buffer.from(hexBytes(h)), format: 'der', type: 'pkcs8' });
    assert.equal(k.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  }
});

test('openssl: our PKCS#8 is byte-identical to `openssl pkcs8 -topk8` for every curve, and openssl pkey accepts it', () => {
  const dir = tempDir();
  try {
    for (const [alg, name] of curves) {
      // genpkey writes PKCS#8 in PEM (its DER output is the SEC1 form).
      const generated = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${name}`]).toString();
      const parsed = parsePkcs8(pkcs8FromPem(generated));
      assert.equal(parsed.algorithm, alg, name);
      const ours = encodePkcs8(alg, parsed.material);
      assert.equal(toHex(ours), toHex(pkcs8FromPem(generated)), `${name}: our bytes equal openssl genpkey's`);
      const file = dir.file(`k${alg}.der`, ours);
      const topk8 = openssl(['pkcs8', '-topk8', '-nocrypt', '-inform', 'DER', '-outform', 'DER', '-in', file]);
      assert.equal(toHex(ours), topk8.toString('hex'), `${name}: our bytes equal openssl pkcs8 -topk8`);
      const pub = openssl(['pkey', '-inform', 'DER', '-in', file, '-pubout', '-outform', 'DER']);
      assert.equal(pub.toString('hex'), toHex(publicKeySpki(alg, parsed.material)), `${name}: public key`);
    }
    // Ed25519: openssl's own PKCS#8 (RFC 8410) equals ours.
    const ed = openssl(['genpkey', '-algorithm', 'ed25519', '-outform', 'DER']);
    const edParsed = parsePkcs8(new Uint8Array(ed));
    assert.equal(edParsed.algorithm, 46);
    assert.equal(toHex(encodePkcs8(46, edParsed.material)), ed.toString('hex'));
    // RSA: the vector key (made by cryptography/OpenSSL) round-trips byte for byte, and openssl checks it.
    const rsaDer = new Uint8Array(createPrivateKey(vectors.rsa_private_key_pem).export({ format: 'der', type: 'pkcs8' }));
    const rsa = parsePkcs8(rsaDer);
    assert.equal(rsa.algorithm, 9);
    const rsaOurs = encodePkcs8(9, rsa.material);
    assert.equal(toHex(rsaOurs), toHex(rsaDer));
    const check = openssl(['pkey', '-inform', 'DER', '-in', dir.file('rsa.der', rsaOurs), '-check', '-noout']).toString();
    assert.match(check, /Key is valid/);
    // A generated RSA-3072 key is accepted by openssl too.
    const rsa3072 = encodePkcs8(10, generateKeyMaterial(10));
    assert.match(openssl(['pkey', '-inform', 'DER', '-in', dir.file('rsa3072.der', rsa3072), '-check', '-noout']).toString(), /Key is valid/);
  } finally {
    dir.cleanup();
  }
});

test('RFC 8410 10.3 Ed25519 private key example parses to its seed', () => {
  const der = new Uint8Array(Buffer.from('MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC', 'base64'));
  const parsed = parsePkcs8(der);
  assert.equal(parsed.algorithm, 46);
  assert.equal(toHex(parsed.material), 'd4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842');
  assert.equal(toHex(encodePkcs8(46, parsed.material)), toHex(der));
  // RFC 5958 version 1 with the public key [1].
  const v1 = derSequence(
    derInteger(1),
    derSequence(derOid('1.3.101.112')),
    derOctetString(derOctetString(parsed.material)),
    Uint8Array.from([0x81, 0x21, 0x00, ...hexBytes('19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1')]),
  );
  assert.equal(toHex(parsePkcs8(v1).material), toHex(parsed.material));
  const wrongPub = v1.slice();
  wrongPub[wrongPub.length - 1] ^= 1;
  assert.throws(() => parsePkcs8(wrongPub), isCoded('PUBLIC_KEY_MISMATCH'));
});

test('PEM helpers', () => {
  const pem = pkcs8ToPem(hexBytes(vectors.pkcs8_plaintext));
  assert.match(pem, /^-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/);
  assert.equal(toHex(pkcs8FromPem(pem)), vectors.pkcs8_plaintext);
  const rsa = parsePkcs8(pkcs8FromPem(vectors.rsa_private_key_pem));
  assert.equal(rsa.algorithm, 9);
});

function ecPkcs8(curveOid: string, inner: Uint8Array[], version = 0): Uint8Array {
  return derSequence(derInteger(version), derSequence(derOid('1.2.840.10045.2.1'), derOid(curveOid)), derOctetString(derSequence(...inner)));
}

function rsaPkcs8(ints: bigint[], version = 0): Uint8Array {
  return derSequence(
    derInteger(0),
    derSequence(derOid('1.2.840.113549.1.1.1'), derNull()),
    derOctetString(derSequence(derInteger(version), ...ints.map((v) => derInteger(v)))),
  );
}

test('parser rejects unsupported or inconsistent keys with stable codes', () => {
  const d = hexBytes(D);
  const G = '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';
  const p256 = '1.2.840.10045.3.1.7';
  assert.throws(
    () => parsePkcs8(ecPkcs8(p256, [derInteger(1), derOctetString(d), derExplicit(1, derBitString(hexBytes(G)))])),
    isCoded('PUBLIC_KEY_MISMATCH', /^The public key embedded in the EC private key does not match the private scalar\.$/),
  );
  assert.throws(
    () => parsePkcs8(ecPkcs8(p256, [derInteger(1), derOctetString(d), derExplicit(0, derOid('1.3.132.0.34'))])),
    isCoded('EC_PARAMETERS_MISMATCH'),
  );
  assert.throws(() => parsePkcs8(ecPkcs8(p256, [derInteger(0), derOctetString(d)])), isCoded('EC_PRIVATE_KEY_VERSION'));
  assert.throws(() => parsePkcs8(ecPkcs8(p256, [derInteger(1), derOctetString(d)], 2)), isCoded('PKCS8_VERSION'));
  assert.throws(() => parsePkcs8(ecPkcs8('1.2.840.10045.3.1.1', [derInteger(1), derOctetString(d.subarray(0, 24))])), isCoded('UNSUPPORTED_CURVE', /^Curve 1\.2\.840\.10045\.3\.1\.1 is not one a YubiHSM 2 supports\.$/));
  assert.throws(() => parsePkcs8(ecPkcs8(p256, [derInteger(1), derOctetString(new Uint8Array(33))])), isCoded('KEY_MATERIAL_LENGTH'));
  assert.throws(() => parsePkcs8(ecPkcs8(p256, [derInteger(1), derOctetString(new Uint8Array(32))])), isCoded('EC_SCALAR_RANGE'));
  // A short (leading-zero-stripped) scalar is accepted and left-padded.
  const short = parsePkcs8(ecPkcs8(p256, [derInteger(1), derOctetString(Uint8Array.of(1))]));
  assert.equal(toHex(short.material), '00'.repeat(31) + '01');
  // Explicit curve parameters instead of a named curve.
  const explicit = derSequence(derInteger(0), derSequence(derOid('1.2.840.10045.2.1'), derSequence(derInteger(1))), derOctetString(derSequence(derInteger(1), derOctetString(d))));
  assert.throws(() => parsePkcs8(explicit), isCoded('EC_PARAMETERS_NOT_NAMED'));
  // Ed448 is not a YubiHSM key.
  assert.throws(() => parsePkcs8(derSequence(derInteger(0), derSequence(derOid('1.3.101.113')), derOctetString(derOctetString(new Uint8Array(57))))), isCoded('UNSUPPORTED_KEY_TYPE'));
  assert.throws(() => parsePkcs8(Uint8Array.from([...hexBytes(vectors.pkcs8_plaintext), 0])), isCoded('DER_TRAILING_BYTES'));

  const jwk = createPrivateKey(vectors.rsa_private_key_pem).export({ format: 'jwk' });
  const b = (s: unknown) => BigInt('0x' + Buffer.from(s as string, 'base64url').toString('hex'));
  const [n, e, dd, p, q, dp, dq, qi] = [jwk.n, jwk.e, jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].map(b);
  assert.equal(parsePkcs8(rsaPkcs8([n, e, dd, p, q, dp, dq, qi])).algorithm, 9);
  assert.throws(() => parsePkcs8(rsaPkcs8([n, e, dd, p, q, dp, dq, qi + 1n])), isCoded('RSA_INCONSISTENT', /^The RSA private key fields do not agree with each other; re-export the key\.$/));
  assert.throws(() => parsePkcs8(rsaPkcs8([n, 3n, dd, p, q, dp, dq, qi])), isCoded('UNSUPPORTED_RSA_EXPONENT', /65537 only/));
  assert.throws(() => parsePkcs8(rsaPkcs8([n, e, dd, p, q, dp, dq, qi], 1)), isCoded('RSA_MULTI_PRIME'));
  const k1024 = createPrivateKey(openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']));
  assert.throws(
    () => parsePkcs8(new Uint8Array(k1024.export({ format: 'der', type: 'pkcs8' }))),
    isCoded('UNSUPPORTED_RSA_SIZE', /^RSA modulus of 1024 bits; a YubiHSM 2 holds RSA 2048, 3072 or 4096\.$/),
  );
});
