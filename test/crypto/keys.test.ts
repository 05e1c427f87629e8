import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPrimeSync, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import {
  asKeyAlgorithm,
  generateKeyMaterial,
  privateKeyObject,
  publicKeyObject,
  publicKeyPem,
  publicKeySpki,
  rawFromPrivateKeyObject,
  rawPublicKey,
} from '../../src/crypto/keys.js';
import { KeyMaterialError, rsaPartsFromMaterial } from '../../src/crypto/key-material.js';
import { UsageError } from '../../src/errors.js';
import { hexBytes, isCoded, loadVectors, toHex } from './asym-helpers.js';

const vectors = loadVectors().e_rsa_wrapped_key;

/** Algorithm -> [node asymmetricKeyType, namedCurve, material length, public length]. */
const expected: Record<number, [string, string | undefined, number, number]> = {
  12: ['ec', 'prime256v1', 32, 64],
  13: ['ec', 'secp384r1', 48, 96],
  14: ['ec', 'secp521r1', 66, 132],
  15: ['ec', 'secp256k1', 32, 64],
  16: ['ec', 'brainpoolP256r1', 32, 64],
  17: ['ec', 'brainpoolP384r1', 48, 96],
  18: ['ec', 'brainpoolP512r1', 64, 128],
  47: ['ec', 'secp224r1', 28, 56],
  46: ['ed25519', undefined, 32, 32],
  9: ['rsa', undefined, 256, 256],
  10: ['rsa', undefined, 384, 384],
  11: ['rsa', undefined, 512, 512],
};

test('every key algorithm: generate, import to node, sign/verify, public forms agree with OpenSSL', () => {
  for (const [algText, [type, curve, len, pubLen]] of Object.entries(expected)) {
    const alg = Number(algText);
    const material = generateKeyMaterial(alg);
    assert.equal(material.length, len, `material length for ${alg}`);
    const key = privateKeyObject(alg, material);
    assert.equal(key.asymmetricKeyType, type);
    if (curve) assert.equal(key.asymmetricKeyDetails?.namedCurve, curve);
    if (type === 'rsa') {
      assert.equal(key.asymmetricKeyDetails?.modulusLength, len * 8);
      assert.equal(key.asymmetricKeyDetails?.publicExponent, 65537n);
    }
    // OpenSSL derives the public key from the private key we gave it; our SPKI must be the same bytes.
    const opensslSpki = createPublicKey(key).export({ format: 'der', type: 'spki' });
    assert.equal(toHex(publicKeySpki(alg, material)), opensslSpki.toString('hex'), `SPKI for ${alg}`);
    const pub = rawPublicKey(alg, material);
    assert.equal(pub.length, pubLen);
    const digest = type === 'ed25519' ? null : 'sha256';
    const sig = sign(digest, Buffer.from('message'), key);
    assert.ok(verify(digest, Buffer.from('message'), publicKeyObject(alg, material), sig), `verify ${alg}`);
    const back = rawFromPrivateKeyObject(key);
    assert.equal(back.algorithm, alg);
    assert.equal(toHex(back.material), toHex(material));
    assert.match(publicKeyPem(key), /^-----BEGIN PUBLIC KEY-----\n/);
  }
});

test('RSA from p‖q reproduces the vector key exactly (d = e⁻¹ mod λ(n), as OpenSSL)', () => {
  const key = createPrivateKey(vectors.rsa_private_key_pem);
  const jwk = key.export({ format: 'jwk' });
  const p = Buffer.from(jwk.p as string, 'base64url');
  const q = Buffer.from(jwk.q as string, 'base64url');
  const material = new Uint8Array(256);
  material.set(p, 128 - p.length);
  material.set(q, 256 - q.length);
  const ours = privateKeyObject(9, material).export({ format: 'der', type: 'pkcs8' });
  assert.equal(ours.toString('hex'), key.export({ format: 'der', type: 'pkcs8' }).toString('hex'));
  assert.equal(toHex(rawPublicKey(9, material)), vectors.rsa_modulus_n);
  const parts = rsaPartsFromMaterial(9, material);
  assert.equal(parts.e, 65537n);
  assert.equal(parts.d, BigInt('0x' + Buffer.from(jwk.d as string, 'base64url').toString('hex')));
});

test('EC and Ed25519 public keys match known answers', () => {
  assert.equal('04' + toHex(rawPublicKey(12, hexBytes(vectors.ec_p256_private_scalar))), vectors.ec_p256_public_point);
  // RFC 8032 7.1 TEST 1.
  const seed = hexBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
  assert.equal(toHex(rawPublicKey(46, seed)), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  // RFC 8410 10.1 / 10.3 key pair.
  const seed8410 = hexBytes('d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842');
  assert.equal(toHex(publicKeySpki(46, seed8410)), '302a300506032b657003210019bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1');
  // P-256 scalar 1 gives the generator G (SEC 2 2.4.2).
  const one = new Uint8Array(32);
  one[31] = 1;
  assert.equal(
    toHex(rawPublicKey(12, one)),
    '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
  );
});

test('bad material gives typed errors with stable codes', () => {
  assert.throws(() => privateKeyObject(12, new Uint8Array(31)), (e: unknown) => e instanceof KeyMaterialError && e.deviceCode === 0x02 && isCoded('KEY_MATERIAL_LENGTH', /^ecp256 key material must be 32 bytes, got 31; check the key algorithm\.$/)(e));
  assert.throws(() => rawPublicKey(12, new Uint8Array(32)), isCoded('EC_SCALAR_RANGE', /ecp256 private scalar is zero or not below the group order/));
  const n256 = hexBytes('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
  assert.throws(() => rawPublicKey(12, n256), isCoded('EC_SCALAR_RANGE'));
  const nBp512 = hexBytes('aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069');
  assert.throws(() => rawPublicKey(18, nBp512), isCoded('EC_SCALAR_RANGE'));
  assert.throws(() => rawPublicKey(46, new Uint8Array(33)), isCoded('KEY_MATERIAL_LENGTH'));
  // p‖q with a composite "prime": q = p − 1 (even), same length so the modulus size is still right.
  const key = createPrivateKey(vectors.rsa_private_key_pem).export({ format: 'jwk' });
  const p = Buffer.from(key.p as string, 'base64url');
  const bad = new Uint8Array(256);
  bad.set(p, 0);
  bad.set(p, 128);
  bad[255] ^= 0x01;
  assert.throws(() => privateKeyObject(9, bad), isCoded('RSA_BAD_PRIMES', /not prime/));
  // An odd composite q' = q + 2 (same length): the key fails the consistency test.
  const q = BigInt('0x' + Buffer.from(key.q as string, 'base64url').toString('hex'));
  assert.equal(checkPrimeSync(q + 2n), false);
  const odd = new Uint8Array(256);
  odd.set(p, 128 - p.length);
  odd.set(Buffer.from((q + 2n).toString(16).padStart(256, '0'), 'hex'), 128);
  assert.throws(() => privateKeyObject(9, odd), isCoded('RSA_BAD_PRIMES', /^rsa2048 key material does not form a working RSA key \(a factor is not prime\); check the key material\.$/));
  // The public form needs no primality: n = p·q is returned as is.
  assert.equal(rawPublicKey(9, odd).length, 256);
  const small = new Uint8Array(256);
  small[127] = 3;
  small[255] = 5;
  assert.throws(() => privateKeyObject(9, small), isCoded('RSA_MODULUS_SIZE', /^The primes give a 4-bit modulus, but rsa2048 needs exactly 2048 bits; check the key algorithm\.$/));
  assert.throws(() => generateKeyMaterial(50), (e: unknown) => e instanceof UsageError && isCoded('NOT_A_KEY_ALGORITHM', /^Algorithm aes128 \(50\) is not an asymmetric key algorithm/)(e));
  assert.throws(() => asKeyAlgorithm(20), isCoded('NOT_A_KEY_ALGORITHM'));
});
