/** Tests for src/protocol/wrapped-object.ts (59-byte header) and src/crypto/wrap-body.ts (bodies), PROTOCOL.md 5.5. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createPrivateKey, sign } from 'node:crypto';
import { aesCcmUnwrap, aesCcmWrap } from '../../src/crypto/aes-ccm.js';
import { generateKeyMaterial } from '../../src/crypto/keys.js';
import {
  aesWrapKeyBody,
  asymmetricKeyBody,
  authKeyBody,
  ecKeyBody,
  ecMaterialFromBody,
  ed25519KeyBody,
  ed25519SignExpanded,
  hmacKeyBody,
  hmacKeyFromBody,
  parseAesWrapKeyBody,
  parseAuthKeyBody,
  parseEd25519Body,
  rsaKeyBody,
  rsaMaterialFromBody,
} from '../../src/crypto/wrap-body.js';
import { decodeWrappedHeader, decodeWrappedObject, encodeWrappedHeader, encodeWrappedObject } from '../../src/protocol/wrapped-object.js';
import { decodeLabel } from '../../src/protocol/label.js';
import { hexBytes, isCoded, loadVectors, toHex } from './asym-helpers.js';

const v = loadVectors().aes_ccm_wrapped_object;
const e = loadVectors().e_rsa_wrapped_key;

test('vector header: every field decodes, and encoding gives the 59 bytes back', () => {
  const h = decodeWrappedHeader(hexBytes(v.header_59));
  assert.equal(h.wrapAlgorithm, 29);
  assert.equal(h.capabilities, 0x0000000000010080n); // sign-ecdsa | exportable-under-wrap
  assert.equal(h.id, 0x001e);
  assert.equal(h.bodyLength, 96);
  assert.equal(h.domains, 0x0013);
  assert.equal(h.type, 3);
  assert.equal(h.algorithm, 12);
  assert.equal(h.sequence, 0);
  assert.equal(h.origin, 2);
  assert.equal(decodeLabel(h.label), 'EC_Key');
  assert.equal(toHex(encodeWrappedHeader(h)), v.header_59);
});

test('the whole ExportWrapped blob of the vector is reproduced from its parts, and read back', () => {
  const d = hexBytes(e.ec_p256_private_scalar);
  const body = ecKeyBody(12, d);
  assert.equal(toHex(body), v.body_d_x_y);
  const plaintext = encodeWrappedObject(
    { wrapAlgorithm: 29, capabilities: 0x10080n, id: 0x1e, domains: 0x13, type: 3, algorithm: 12, sequence: 0, origin: 2, label: 'EC_Key' },
    body,
  );
  assert.equal(toHex(plaintext), v.plaintext);
  assert.equal(toHex(aesCcmWrap(hexBytes(v.wrap_key_aes128), plaintext, hexBytes(v.nonce))), v.exported_blob_nonce_ct_tag);
  const opened = aesCcmUnwrap(hexBytes(v.wrap_key_aes128), hexBytes(v.exported_blob_nonce_ct_tag)) as Uint8Array;
  const { header, body: back } = decodeWrappedObject(opened);
  assert.equal(header.id, 0x1e);
  assert.equal(toHex(ecMaterialFromBody(12, back)), e.ec_p256_private_scalar);
});

test('header errors', () => {
  const header = hexBytes(v.header_59);
  assert.throws(() => decodeWrappedHeader(header.subarray(0, 58)), (x: unknown) => isCoded('WRAPPED_OBJECT_TOO_SHORT', /^Wrapped object: 58 bytes cannot hold the 59-byte header\.$/)(x) && (x as { deviceCode: number }).deviceCode === 0x08);
  assert.throws(() => decodeWrappedObject(hexBytes(v.plaintext).subarray(0, 100)), isCoded('WRAPPED_BODY_LENGTH', /announces a 96-byte body but 41 bytes follow/));
  const badAlg = header.slice();
  badAlg[0] = 52;
  assert.throws(() => decodeWrappedHeader(badAlg), isCoded('BAD_WRAP_ALGORITHM'));
  assert.throws(() => encodeWrappedObject({ wrapAlgorithm: 29, capabilities: 0n, id: 0x10000, domains: 1, type: 3, algorithm: 12, sequence: 0, origin: 1, label: '' }, new Uint8Array(1)), isCoded('BAD_HEADER_FIELD'));
  assert.throws(() => encodeWrappedObject({ wrapAlgorithm: 29, capabilities: 0n, id: 1, domains: 1, type: 3, algorithm: 12, sequence: 0, origin: 1, label: 'x'.repeat(41) }, new Uint8Array(1)), isCoded('LABEL_TOO_LONG'));
});

test('RSA body p‖q‖dP‖dQ‖qInv‖n matches OpenSSL’s CRT values (896 bytes for RSA-2048)', () => {
  const jwk = createPrivateKey(e.rsa_private_key_pem).export({ format: 'jwk' });
  const f = (s: unknown, size: number) => Buffer.from(s as string, 'base64url').toString('hex').padStart(2 * size, '0');
  const expected = f(jwk.p, 128) + f(jwk.q, 128) + f(jwk.dp, 128) + f(jwk.dq, 128) + f(jwk.qi, 128) + f(jwk.n, 256);
  const material = hexBytes(f(jwk.p, 128) + f(jwk.q, 128));
  const body = rsaKeyBody(9, material);
  assert.equal(body.length, 896);
  assert.equal(toHex(body), expected);
  assert.equal(toHex(rsaMaterialFromBody(9, body)), toHex(material));
  const bad = body.slice();
  bad[3 * 128 + 5] ^= 1; // dQ
  assert.throws(() => rsaMaterialFromBody(9, bad), isCoded('WRAP_BODY_INCONSISTENT', /^The wrapped rsa2048 body is internally inconsistent; the object is corrupt\.$/));
  assert.throws(() => rsaMaterialFromBody(9, body.subarray(1)), isCoded('WRAP_BODY_LENGTH', /^A wrapped rsa2048 body is 896 bytes, got 895; the object is corrupt or of another type\.$/));
});

test('EC bodies for every curve round trip; a wrong public half is refused', () => {
  for (const alg of [12, 13, 14, 15, 16, 17, 18, 47] as const) {
    const d = generateKeyMaterial(alg);
    const body = asymmetricKeyBody(alg, d);
    assert.equal(body.length, 3 * d.length);
    assert.equal(toHex(ecMaterialFromBody(alg, body)), toHex(d));
  }
  const body = hexBytes(v.body_d_x_y);
  body[95] ^= 1;
  assert.throws(() => ecMaterialFromBody(12, body), isCoded('WRAP_BODY_INCONSISTENT'));
});

test('Ed25519 body s‖prefix‖A signs exactly like the seed (RFC 8032 7.1 TEST 1 and node)', () => {
  const seed = hexBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
  const body = ed25519KeyBody(seed);
  assert.equal(body.length, 96);
  assert.equal(toHex(body.subarray(64)), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  // s is stored big-endian: its last byte is the clamped first byte of SHA-512(seed) (low 3 bits clear),
  // its first byte the clamped 32nd (top bit clear, bit 6 set).
  assert.equal(body[31] & 7, 0);
  assert.equal(body[0] & 0xc0, 0x40);
  const key = parseEd25519Body(body);
  assert.equal(
    toHex(ed25519SignExpanded(key, new Uint8Array(0))),
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  );
  for (let i = 0; i < 5; i++) {
    const s = generateKeyMaterial(46);
    const msg = new TextEncoder().encode('message ' + i);
    const nodeKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), s]), format: 'der', type: 'pkcs8' });
    assert.equal(toHex(ed25519SignExpanded(parseEd25519Body(ed25519KeyBody(s)), msg)), sign(null, msg, nodeKey).toString('hex'));
  }
  const bad = body.slice();
  bad[70] ^= 1;
  assert.throws(() => parseEd25519Body(bad), isCoded('WRAP_BODY_INCONSISTENT'));
});

test('HMAC body is the ipad/opad form; the inverse computes the same MAC', () => {
  const body = hmacKeyBody(20, new TextEncoder().encode('key'));
  assert.equal(toHex(body), '5d534f' + '36'.repeat(61) + '373925' + '5c'.repeat(61));
  const padded = hmacKeyFromBody(20, body);
  assert.equal(padded.length, 64);
  assert.equal(createHmac('sha256', padded).update('data').digest('hex'), createHmac('sha256', 'key').update('data').digest('hex'));
  assert.equal(hmacKeyBody(22, new Uint8Array(128)).length, 256);
  assert.equal(hmacKeyBody(19, Uint8Array.of(1)).length, 128);
  const bad = body.slice();
  bad[100] ^= 1;
  assert.throws(() => hmacKeyFromBody(20, bad), isCoded('WRAP_BODY_INCONSISTENT'));
  assert.throws(() => hmacKeyBody(20, new Uint8Array(65)), isCoded('HMAC_KEY_LENGTH', /^A hmac-sha256 key is 1 to 64 bytes, got 65\.$/));
  assert.throws(() => hmacKeyBody(12, Uint8Array.of(1)), isCoded('NOT_HMAC_ALGORITHM'));
});

test('authentication key and AES wrap key bodies', () => {
  const enc = hexBytes('090b47dbed595654901dee1cc655e420');
  const mac = hexBytes('592fd483f759e29909a04c4505d2ce0a');
  const body = authKeyBody(0x0000ffffffffffffn, enc, mac);
  assert.equal(toHex(body), '0000ffffffffffff090b47dbed595654901dee1cc655e420592fd483f759e29909a04c4505d2ce0a');
  assert.deepEqual(parseAuthKeyBody(body), { delegated: 0x0000ffffffffffffn, encKey: enc, macKey: mac });
  const wk = aesWrapKeyBody(0x10080n, hexBytes('00112233445566778899aabbccddeeff0011223344556677'));
  assert.equal(toHex(wk), '0000000000010080' + '00112233445566778899aabbccddeeff0011223344556677');
  assert.deepEqual(parseAesWrapKeyBody(41, wk), { delegated: 0x10080n, key: hexBytes('00112233445566778899aabbccddeeff0011223344556677') });
  assert.throws(() => parseAesWrapKeyBody(42, wk), isCoded('WRAP_BODY_LENGTH'));
  assert.throws(() => parseAuthKeyBody(body.subarray(1)), isCoded('WRAP_BODY_LENGTH'));
});

test('property: header ‖ body round trip', async () => {
  const fc = (await import('fast-check')).default;
  fc.assert(
    fc.property(
      fc.record({
        wrapAlgorithm: fc.constantFrom(29, 41, 42),
        capabilities: fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }),
        id: fc.integer({ min: 0, max: 0xffff }),
        domains: fc.integer({ min: 0, max: 0xffff }),
        type: fc.integer({ min: 0, max: 255 }),
        algorithm: fc.integer({ min: 0, max: 255 }),
        sequence: fc.integer({ min: 0, max: 255 }),
        origin: fc.integer({ min: 0, max: 255 }),
        label: fc.uint8Array({ maxLength: 40 }),
      }),
      fc.uint8Array({ maxLength: 1200 }),
      (fields, body) => {
        const { header, body: back } = decodeWrappedObject(encodeWrappedObject(fields, body));
        const label = new Uint8Array(40);
        label.set(fields.label);
        return (
          toHex(back) === toHex(body) && header.bodyLength === body.length && toHex(header.label) === toHex(label) &&
          header.capabilities === fields.capabilities && header.id === fields.id && header.domains === fields.domains &&
          header.type === fields.type && header.algorithm === fields.algorithm && header.sequence === fields.sequence &&
          header.origin === fields.origin && header.wrapAlgorithm === fields.wrapAlgorithm
        );
      },
    ),
  );
});
