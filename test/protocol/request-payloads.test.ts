/**
 * Every `request_payloads` entry of vectors.json (exact inner frames built by python-yubihsm): decoded and
 * checked against field values written here, then encoded from those values back to the exact bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandByCode, commands } from '../../src/protocol/commands/index.js';
import type { CommandDef } from '../../src/protocol/command.js';
import { filled, h, label, toHex, vectors } from './helpers.js';

const LHASH_SHA256_EMPTY = h('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
const SHA256_ABC = h('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
const PASSWORD_KEYS = h('090b47dbed595654901dee1cc655e420592fd483f759e29909a04c4505d2ce0a');
const NEWPASS_KEYS = h('2c5ca3c2c86aacbc99de64074e23721786ec38bd4f623405b5ce01fce4fc84df');
const SK_OCE = h('db904ff996f4492225cc802790c2fd06830073e9a2f5eb993b6a89a0225dc617');
const SIGN_ECDSA = 0x80n;
const EXPORTABLE_UNDER_WRAP = 0x1_0000n;
const EXPORT_WRAPPED = 0x1000n;

// [vector index, command, expected decoded request]
const cases: [number, CommandDef<unknown, unknown>, unknown][] = [
  [0, commands.listObjects, { type: 3, algorithm: 12, label: label('k1') }],
  [1, commands.putAuthenticationKey, {
    id: 2, label: label('app'), domains: 1, capabilities: SIGN_ECDSA, algorithm: 38,
    delegatedCapabilities: SIGN_ECDSA, key: PASSWORD_KEYS,
  }],
  [2, commands.changeAuthenticationKey, { keyId: 2, algorithm: 38, key: NEWPASS_KEYS }],
  [3, commands.generateAsymmetricKey, {
    id: 0x1234, label: label('k1'), domains: 1, capabilities: SIGN_ECDSA | EXPORTABLE_UNDER_WRAP, algorithm: 12,
  }],
  [4, commands.putAsymmetricKey, { id: 0x1234, label: label('k1'), domains: 1, capabilities: SIGN_ECDSA, algorithm: 12, key: SK_OCE }],
  [5, commands.signEcdsa, { keyId: 0x1234, digest: SHA256_ABC }],
  [6, commands.signPss, { keyId: 0x1234, mgf1Algorithm: 33, saltLength: 32, digest: SHA256_ABC }],
  [7, commands.signPkcs1, { keyId: 0x1234, data: SHA256_ABC }],
  [8, commands.decryptOaep, { keyId: 0x1234, mgf1Algorithm: 33, ciphertext: filled(256, 0x11), lHash: LHASH_SHA256_EMPTY }],
  [9, commands.getPublicKey, { keyId: 0x1234 }],
  [10, commands.getPublicKey, { keyId: 0x00aa, type: 9 }],
  [11, commands.exportWrapped, { wrapKeyId: 0x00bb, type: 3, id: 0x1234 }],
  [12, commands.exportWrapped, { wrapKeyId: 0x00bb, type: 3, id: 0x1234, format: 1 }],
  [13, commands.putPublicWrapKey, {
    id: 0x00aa, label: label('pubwrap'), domains: 1, capabilities: EXPORT_WRAPPED, algorithm: 9,
    delegatedCapabilities: SIGN_ECDSA | EXPORTABLE_UNDER_WRAP, modulus: h(vectors.e_rsa_wrapped_key.rsa_modulus_n),
  }],
  [14, commands.getRsaWrappedKey, {
    wrapKeyId: 0x00aa, type: 3, id: 0x1234, aesAlgorithm: 52, oaepAlgorithm: 26, mgf1Algorithm: 33, lHash: LHASH_SHA256_EMPTY,
  }],
  [15, commands.exportRsaWrapped, {
    wrapKeyId: 0x00aa, type: 3, id: 0x1234, aesAlgorithm: 52, oaepAlgorithm: 26, mgf1Algorithm: 33, lHash: LHASH_SHA256_EMPTY,
  }],
  [16, commands.putRsaWrappedKey, {
    wrapKeyId: 0x00bb, type: 3, id: 0x1234, label: label('k1'), domains: 1, capabilities: SIGN_ECDSA, algorithm: 12,
    oaepAlgorithm: 26, mgf1Algorithm: 33, blob: h('deadbeef'), lHash: LHASH_SHA256_EMPTY,
  }],
  [17, commands.importRsaWrapped, { wrapKeyId: 0x00bb, oaepAlgorithm: 26, mgf1Algorithm: 33, blob: h('deadbeef'), lHash: LHASH_SHA256_EMPTY }],
  [18, commands.setOption, { option: 1, forceAudit: 1 }],
];

test('the table covers all 19 request_payloads entries', () => {
  assert.equal(vectors.request_payloads.length, 19);
  assert.deepEqual(cases.map((c) => c[0]), [...Array(19).keys()]);
});

for (const [i, def, expected] of cases) {
  const v = vectors.request_payloads[i];
  test(`request_payloads[${i}] ${v.label}`, () => {
    assert.equal(def.code, Number(v.cmd), 'command code');
    assert.equal(commandByCode(Number(v.cmd)), def);
    assert.deepStrictEqual(def.decodeRequest(h(v.payload)), expected);
    const encoded = def.encodeRequest(expected);
    assert.equal(toHex(encoded), v.payload);
    const len = encoded.length;
    assert.equal(v.inner_frame, v.cmd.slice(2) + len.toString(16).padStart(4, '0') + v.payload);
  });
}

test('labels may be given as strings when encoding', () => {
  const v = vectors.request_payloads[3];
  const q = { id: 0x1234, label: 'k1', domains: 1, capabilities: SIGN_ECDSA | EXPORTABLE_UNDER_WRAP, algorithm: 12 };
  assert.equal(toHex(commands.generateAsymmetricKey.encodeRequest(q)), v.payload);
  assert.equal(toHex(commands.listObjects.encodeRequest({ type: 3, algorithm: 12, label: 'k1' })), vectors.request_payloads[0].payload);
});

test('the vector modulus is the PutPublicWrapKey body (256 bytes, RSA-2048)', () => {
  const q = commands.putPublicWrapKey.decodeRequest(h(vectors.request_payloads[13].payload));
  assert.equal(q.modulus.length, 256);
  assert.equal(toHex(q.modulus.subarray(0, 4)), 'bed49470');
});
