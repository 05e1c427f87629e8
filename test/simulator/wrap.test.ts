/**
 * AES-CCM wrapping (PROTOCOL.md 5.5): ExportWrapped byte-exact against vectors.json aes_ccm_wrapped_object,
 * ImportWrapped of that blob, round trips with origin 0x11, Ed25519 formats 0 and 1, WrapData/UnwrapData, and the
 * simulator's own 0x76/0x77 whole-object RSA wrap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capabilities as caps } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { DeviceErrorCode as E } from '../../src/protocol/device-errors.js';
import { hex, newDevice, openSession, openssl, unhex, vectors, withTempDir } from './helpers.js';

const V = vectors().aes_ccm_wrapped_object;
const SHA256_EMPTY = unhex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

test('ExportWrapped is byte-exact with vectors.json aes_ccm_wrapped_object (nonce from the device RNG)', async () => {
  const nonce = unhex(V.nonce);
  const d = newDevice({ random: (n) => (n === 13 ? nonce.slice() : new Uint8Array(n).fill(0x42)) });
  const s = await openSession(d);
  await s.send(commands.putWrapKey, {
    id: 0x14, label: 'w', domains: 0xffff, capabilities: caps('export-wrapped', 'import-wrapped'), algorithm: 29,
    delegatedCapabilities: caps('sign-ecdsa', 'exportable-under-wrap'), key: unhex(V.wrap_key_aes128),
  });
  // The object of the vector: id 0x001e, domains 0x0013, EC P-256, label "EC_Key", imported, sequence 0.
  await s.send(commands.putAsymmetricKey, {
    id: 0x1e, label: 'EC_Key', domains: 0x13, capabilities: caps('sign-ecdsa', 'exportable-under-wrap'), algorithm: 12,
    key: unhex(V.body_d_x_y).subarray(0, 32),
  });
  const blob = await s.send(commands.exportWrapped, { wrapKeyId: 0x14, type: 3, id: 0x1e });
  assert.equal(hex(blob), V.exported_blob_nonce_ct_tag);
});

test('ImportWrapped of the vector blob restores the key with its metadata; origin gains 0x10', async () => {
  const d = newDevice();
  const s = await openSession(d);
  await s.send(commands.putWrapKey, {
    id: 0x14, label: 'w', domains: 0xffff, capabilities: caps('import-wrapped'), algorithm: 29,
    delegatedCapabilities: caps('sign-ecdsa', 'exportable-under-wrap'), key: unhex(V.wrap_key_aes128),
  });
  const res = await s.raw(unhex('4b' + (V.import_wrapped_payload_for_wrap_key_0x0014.length / 2).toString(16).padStart(4, '0') + V.import_wrapped_payload_for_wrap_key_0x0014));
  assert.equal(hex(res), 'cb000303001e');
  const info = await s.send(commands.getObjectInfo, { id: 0x1e, type: 3 });
  assert.equal(info.domains, 0x13);
  assert.equal(info.origin, 0x12);
  assert.equal(info.sequence, 0);
  assert.equal(info.capabilities, caps('sign-ecdsa', 'exportable-under-wrap'));
  assert.equal(hex((await s.send(commands.getPublicKey, { keyId: 0x1e })).publicKey), V.body_d_x_y.slice(64));
  assert.equal(await s.errorOf(commands.importWrapped, { wrapKeyId: 0x14, wrapped: unhex(V.exported_blob_nonce_ct_tag) }), E.OBJECT_EXISTS);
  const tampered = unhex(V.exported_blob_nonce_ct_tag);
  tampered[20] ^= 1;
  await s.send(commands.deleteObject, { id: 0x1e, type: 3 });
  assert.equal(await s.errorOf(commands.importWrapped, { wrapKeyId: 0x14, wrapped: tampered }), E.INVALID_DATA);
});

test('a generated key exported and re-imported reads origin 0x11 and the next sequence; limits are enforced', async () => {
  const s = await openSession(newDevice());
  await s.send(commands.generateWrapKey, {
    id: 2, label: 'w', domains: 1, capabilities: caps('export-wrapped', 'import-wrapped'), algorithm: 42,
    delegatedCapabilities: caps('sign-ecdsa', 'exportable-under-wrap'),
  });
  for (let i = 0; i < 2; i++) {
    await s.send(commands.generateAsymmetricKey, { id: 9, label: 'g', domains: 1, capabilities: caps('sign-ecdsa', 'exportable-under-wrap'), algorithm: 14 });
    if (i === 0) await s.send(commands.deleteObject, { id: 9, type: 3 });
  }
  const pub = await s.send(commands.getPublicKey, { keyId: 9 });
  const blob = await s.send(commands.exportWrapped, { wrapKeyId: 2, type: 3, id: 9 });
  await s.send(commands.deleteObject, { id: 9, type: 3 });
  assert.deepEqual(await s.send(commands.importWrapped, { wrapKeyId: 2, wrapped: blob }), { type: 3, id: 9 });
  const info = await s.send(commands.getObjectInfo, { id: 9, type: 3 });
  assert.equal(info.origin, 0x11);
  // Third object stored at (3, 9): sequence 2 (the blob's 1 is not kept; see interop-yubihsm-shell.test.ts).
  assert.equal(info.sequence, 2);
  assert.equal(hex((await s.send(commands.getPublicKey, { keyId: 9 })).publicKey), hex(pub.publicKey));
  // An RSA wrap key cannot be used with ExportWrapped.
  await s.send(commands.generateWrapKey, { id: 3, label: 'r', domains: 1, capabilities: caps('export-wrapped'), algorithm: 9, delegatedCapabilities: caps('sign-ecdsa', 'exportable-under-wrap') });
  assert.equal(await s.errorOf(commands.exportWrapped, { wrapKeyId: 3, type: 3, id: 9 }), E.INVALID_DATA);
});

test('Ed25519 under wrap: format 0 keeps the expanded key (signs, no PKCS#8), format 1 keeps the seed', async () => {
  await withTempDir(async (dir) => {
    const s = await openSession(newDevice());
    await s.send(commands.generateWrapKey, {
      id: 2, label: 'w', domains: 1, capabilities: caps('export-wrapped', 'import-wrapped'), algorithm: 41,
      delegatedCapabilities: caps('sign-eddsa', 'exportable-under-wrap'),
    });
    const mod = unhex('c7' + 'ab'.repeat(254) + '01');
    await s.send(commands.putPublicWrapKey, { id: 4, label: 'p', domains: 1, capabilities: caps('export-wrapped'), algorithm: 9, delegatedCapabilities: caps('sign-eddsa', 'exportable-under-wrap'), modulus: mod });
    await s.send(commands.generateAsymmetricKey, { id: 5, label: 'ed', domains: 1, capabilities: caps('sign-eddsa', 'exportable-under-wrap'), algorithm: 46 });
    const pub = (await s.send(commands.getPublicKey, { keyId: 5 })).publicKey;
    writeFileSync(join(dir, 'pub.der'), unhex('302a300506032b6570032100' + hex(pub)));
    const verify = async (msg: Uint8Array) => {
      const sig = await s.send(commands.signEddsa, { keyId: 5, data: msg });
      writeFileSync(join(dir, 'msg'), msg);
      writeFileSync(join(dir, 'sig'), sig);
      return openssl(['pkeyutl', '-verify', '-pubin', '-keyform', 'DER', '-inkey', join(dir, 'pub.der'), '-rawin', '-in', join(dir, 'msg'), '-sigfile', join(dir, 'sig')]).toString();
    };
    const f0 = await s.send(commands.exportWrapped, { wrapKeyId: 2, type: 3, id: 5, format: 0 });
    const f1 = await s.send(commands.exportWrapped, { wrapKeyId: 2, type: 3, id: 5, format: 1 });
    assert.equal(f0.length, 13 + 59 + 96 + 16);
    assert.equal(f1.length, 13 + 59 + 128 + 16);
    await s.send(commands.deleteObject, { id: 5, type: 3 });
    await s.send(commands.importWrapped, { wrapKeyId: 2, wrapped: f0 });
    assert.equal(hex((await s.send(commands.getPublicKey, { keyId: 5 })).publicKey), hex(pub));
    assert.match(await verify(unhex('00112233')), /Signature Verified Successfully/);
    const req = { wrapKeyId: 4, type: 3, id: 5, aesAlgorithm: 52, oaepAlgorithm: 26, mgf1Algorithm: 33, lHash: SHA256_EMPTY };
    assert.equal(await s.errorOf(commands.getRsaWrappedKey, req), E.INVALID_DATA, 'no seed, no PKCS#8');
    await s.send(commands.deleteObject, { id: 5, type: 3 });
    await s.send(commands.importWrapped, { wrapKeyId: 2, wrapped: f1 });
    assert.match(await verify(unhex('cafebabe')), /Signature Verified Successfully/);
    assert.ok((await s.send(commands.getRsaWrappedKey, req)).length > 256, 'with the seed back, PKCS#8 export works');
  });
});

test('WrapData/UnwrapData round trip; firmware 2.4 answers INVALID_DATA for a key without the capability', async () => {
  const s = await openSession(newDevice());
  await s.send(commands.putWrapKey, { id: 7, label: 'd', domains: 1, capabilities: caps('wrap-data', 'unwrap-data'), algorithm: 42, delegatedCapabilities: 0n, key: new Uint8Array(32).fill(3) });
  await s.send(commands.putWrapKey, { id: 8, label: 'n', domains: 1, capabilities: caps('export-wrapped'), algorithm: 42, delegatedCapabilities: 0n, key: new Uint8Array(32).fill(3) });
  const blob = await s.send(commands.wrapData, { keyId: 7, data: unhex('68656c6c6f') });
  assert.equal(blob.length, 13 + 1 + 5 + 16);
  assert.deepEqual(await s.send(commands.unwrapData, { keyId: 7, wrapped: blob }), unhex('68656c6c6f'));
  assert.equal(await s.errorOf(commands.wrapData, { keyId: 8, data: unhex('00') }), E.INVALID_DATA);
  assert.equal(await s.errorOf(commands.unwrapData, { keyId: 8, wrapped: blob }), E.INVALID_DATA);
  const bad = blob.slice();
  bad[bad.length - 1] ^= 1;
  assert.equal(await s.errorOf(commands.unwrapData, { keyId: 7, wrapped: bad }), E.INVALID_DATA);
});

test('ExportRsaWrapped / ImportRsaWrapped move a whole object (an authentication key) between two devices', async () => {
  const a = await openSession(newDevice());
  const b = await openSession(newDevice());
  await b.send(commands.generateWrapKey, { id: 0x40, label: 'imp', domains: 1, capabilities: caps('import-wrapped'), algorithm: 10, delegatedCapabilities: caps('sign-ecdsa', 'exportable-under-wrap') });
  const modulus = (await b.send(commands.getPublicKey, { keyId: 0x40, type: 4 })).publicKey;
  assert.equal(modulus.length, 384);
  await a.send(commands.putPublicWrapKey, { id: 0x40, label: 'exp', domains: 1, capabilities: caps('export-wrapped'), algorithm: 10, delegatedCapabilities: caps('sign-ecdsa', 'exportable-under-wrap'), modulus });
  await a.send(commands.putAuthenticationKey, {
    id: 0x50, label: 'moved', domains: 1, capabilities: caps('sign-ecdsa', 'exportable-under-wrap'), algorithm: 38,
    delegatedCapabilities: caps('sign-ecdsa'), key: new Uint8Array(32).fill(9),
  });
  const blob = await a.send(commands.exportRsaWrapped, { wrapKeyId: 0x40, type: 2, id: 0x50, aesAlgorithm: 51, oaepAlgorithm: 28, mgf1Algorithm: 32, lHash: new Uint8Array(64).fill(1) });
  assert.deepEqual(await b.send(commands.importRsaWrapped, { wrapKeyId: 0x40, oaepAlgorithm: 28, mgf1Algorithm: 32, blob, lHash: new Uint8Array(64).fill(1) }), { type: 2, id: 0x50 });
  const info = await b.send(commands.getObjectInfo, { id: 0x50, type: 2 });
  assert.equal(info.origin, 0x12);
  assert.equal(info.delegatedCapabilities, caps('sign-ecdsa'));
  assert.equal(await b.errorOf(commands.importRsaWrapped, { wrapKeyId: 0x40, oaepAlgorithm: 28, mgf1Algorithm: 32, blob, lHash: new Uint8Array(64).fill(2) }), E.INVALID_DATA, 'another label hash');
});
