/** Every access-control rule of PROTOCOL.md 4.4, one refusal per test, with the device's own error code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capabilities as caps, type CapabilityName } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { DeviceErrorCode as E } from '../../src/protocol/device-errors.js';
import { limitedSession, newDevice, openSession, unhex, type TestSession } from './helpers.js';

const DIGEST = unhex('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
const SHA256_EMPTY = unhex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

async function setup(): Promise<TestSession> {
  const admin = await openSession(newDevice());
  await admin.send(commands.generateAsymmetricKey, {
    id: 0x10, label: 'd1', domains: 0x0001, capabilities: caps('sign-ecdsa', 'exportable-under-wrap'), algorithm: 12,
  });
  await admin.send(commands.generateAsymmetricKey, { id: 0x20, label: 'd2', domains: 0x0002, capabilities: caps('sign-ecdsa'), algorithm: 12 });
  await admin.send(commands.generateAsymmetricKey, { id: 0x30, label: 'nocap', domains: 0x0001, capabilities: caps('sign-eddsa'), algorithm: 12 });
  return admin;
}

let nextAuthId = 0x40;
const user = (admin: TestSession, c: CapabilityName[], domains = 0x0001, delegated: CapabilityName[] = []) =>
  limitedSession(admin, nextAuthId++, { domains, capabilities: caps(...c), delegated: caps(...delegated) });

test('rule 1: an object outside the session key\'s domains is OBJECT_NOT_FOUND and not listed', async () => {
  const admin = await setup();
  const s = await user(admin, ['sign-ecdsa', 'delete-asymmetric-key']);
  assert.equal(await s.errorOf(commands.getObjectInfo, { id: 0x20, type: 3 }), E.OBJECT_NOT_FOUND);
  assert.equal(await s.errorOf(commands.signEcdsa, { keyId: 0x20, digest: DIGEST }), E.OBJECT_NOT_FOUND);
  assert.equal(await s.errorOf(commands.getPublicKey, { keyId: 0x20 }), E.OBJECT_NOT_FOUND);
  assert.equal(await s.errorOf(commands.deleteObject, { id: 0x20, type: 3 }), E.OBJECT_NOT_FOUND);
  const listed = (await s.send(commands.listObjects, { type: 3 })).map((o) => o.id);
  assert.deepEqual(listed, [0x10, 0x30]);
});

test('rule 2: a use capability missing on the session key is INSUFFICIENT_PERMISSIONS', async () => {
  const admin = await setup();
  const s = await user(admin, ['sign-eddsa']);
  assert.equal(await s.errorOf(commands.signEcdsa, { keyId: 0x10, digest: DIGEST }), E.INSUFFICIENT_PERMISSIONS);
});

test('rule 2: a use capability missing on the object is INSUFFICIENT_PERMISSIONS', async () => {
  const admin = await setup();
  const s = await user(admin, ['sign-ecdsa']);
  assert.equal(await s.errorOf(commands.signEcdsa, { keyId: 0x30, digest: DIGEST }), E.INSUFFICIENT_PERMISSIONS);
  assert.equal((await s.send(commands.signEcdsa, { keyId: 0x10, digest: DIGEST }))[0], 0x30, 'both sides hold it: a DER signature');
});

test('rule 3: creating without the session\'s generate/put capability is INSUFFICIENT_PERMISSIONS', async () => {
  const admin = await setup();
  const s = await user(admin, ['put-asymmetric-key'], 1, ['sign-ecdsa']);
  const req = { id: 0x50, label: 'x', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 12 };
  assert.equal(await s.errorOf(commands.generateAsymmetricKey, req), E.INSUFFICIENT_PERMISSIONS);
});

test('rule 3: requested capabilities beyond the session key\'s delegated set are INSUFFICIENT_PERMISSIONS', async () => {
  const admin = await setup();
  const s = await user(admin, ['generate-asymmetric-key'], 1, ['sign-ecdsa']);
  const req = { id: 0x50, label: 'x', domains: 1, capabilities: caps('sign-ecdsa', 'exportable-under-wrap'), algorithm: 12 };
  assert.equal(await s.errorOf(commands.generateAsymmetricKey, req), E.INSUFFICIENT_PERMISSIONS);
  assert.equal(await s.send(commands.generateAsymmetricKey, { ...req, capabilities: caps('sign-ecdsa') }), 0x50);
});

test('rule 3: requested domains beyond the session key\'s domains are INSUFFICIENT_PERMISSIONS', async () => {
  const admin = await setup();
  const s = await user(admin, ['generate-asymmetric-key'], 1, ['sign-ecdsa']);
  const req = { id: 0x50, label: 'x', domains: 0x0003, capabilities: caps('sign-ecdsa'), algorithm: 12 };
  assert.equal(await s.errorOf(commands.generateAsymmetricKey, req), E.INSUFFICIENT_PERMISSIONS);
});

test('rule 3: a new key\'s delegated capabilities beyond the creator\'s delegated set are INSUFFICIENT_PERMISSIONS', async () => {
  const admin = await setup();
  const s = await user(admin, ['put-authentication-key'], 1, ['sign-ecdsa']);
  const req = {
    id: 0x60, label: 'x', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 38,
    delegatedCapabilities: caps('sign-ecdsa', 'sign-eddsa'), key: new Uint8Array(32).fill(1),
  };
  assert.equal(await s.errorOf(commands.putAuthenticationKey, req), E.INSUFFICIENT_PERMISSIONS);
  assert.equal(await s.send(commands.putAuthenticationKey, { ...req, delegatedCapabilities: caps('sign-ecdsa') }), 0x60);
});

test('rule 3: an occupied (type, id) is OBJECT_EXISTS; an algorithm foreign to the type is INVALID_DATA', async () => {
  const admin = await setup();
  const req = { id: 0x10, label: 'x', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 12 };
  assert.equal(await admin.errorOf(commands.generateAsymmetricKey, req), E.OBJECT_EXISTS);
  assert.equal(await admin.errorOf(commands.generateAsymmetricKey, { ...req, id: 0x11, algorithm: 29 }), E.INVALID_DATA);
  assert.equal(await admin.errorOf(commands.generateAsymmetricKey, { ...req, id: 0x11, domains: 0 }), E.INVALID_DATA);
});

test('rule 4: GetOpaque needs get-opaque on the session only, not on the object', async () => {
  const admin = await setup();
  await admin.send(commands.putOpaque, { id: 0x70, label: 'o', domains: 1, capabilities: 0n, algorithm: 30, data: unhex('01020304') });
  const reader = await user(admin, ['get-opaque']);
  assert.deepEqual(await reader.send(commands.getOpaque, 0x70), unhex('01020304'));
  const other = await user(admin, ['get-template']);
  assert.equal(await other.errorOf(commands.getOpaque, 0x70), E.INSUFFICIENT_PERMISSIONS);
});

test('rule 4: GetPseudoRandom, GetOption and GetLogEntries need their session capability', async () => {
  const admin = await setup();
  const s = await user(admin, ['get-opaque']);
  assert.equal(await s.errorOf(commands.getPseudoRandom, 16), E.INSUFFICIENT_PERMISSIONS);
  assert.equal(await s.errorOf(commands.getOption, 0x01), E.INSUFFICIENT_PERMISSIONS);
  assert.equal(await s.errorOf(commands.getLogEntries, undefined), E.INSUFFICIENT_PERMISSIONS);
  assert.equal(await s.errorOf(commands.setOption, { option: 0x01, forceAudit: 1 }), E.INSUFFICIENT_PERMISSIONS);
  assert.equal(await s.errorOf(commands.resetDevice, undefined), E.INSUFFICIENT_PERMISSIONS);
  // No capability needed: GetObjectInfo, ListObjects, GetPublicKey, GetStorageInfo, Echo, Blink.
  assert.equal((await s.send(commands.getObjectInfo, { id: 0x10, type: 3 })).id, 0x10);
  assert.equal((await s.send(commands.getPublicKey, { keyId: 0x10 })).publicKey.length, 64);
  await s.send(commands.blinkDevice, 1);
});

test('rule 5: DeleteObject without the type\'s delete capability is INSUFFICIENT_PERMISSIONS', async () => {
  const admin = await setup();
  const s = await user(admin, ['delete-opaque']);
  assert.equal(await s.errorOf(commands.deleteObject, { id: 0x10, type: 3 }), E.INSUFFICIENT_PERMISSIONS);
  const t = await user(admin, ['delete-asymmetric-key']);
  await t.send(commands.deleteObject, { id: 0x10, type: 3 });
  assert.equal(await t.errorOf(commands.getObjectInfo, { id: 0x10, type: 3 }), E.OBJECT_NOT_FOUND);
});

async function exportSetup(wrapCaps: CapabilityName[], delegated: CapabilityName[]) {
  const admin = await setup();
  await admin.send(commands.generateWrapKey, { id: 0x80, label: 'rsa', domains: 1, capabilities: 0n, algorithm: 9, delegatedCapabilities: 0n });
  const modulus = (await admin.send(commands.getPublicKey, { keyId: 0x80, type: 4 })).publicKey;
  await admin.send(commands.putPublicWrapKey, {
    id: 0x81, label: 'pub', domains: 1, capabilities: caps(...wrapCaps), algorithm: 9, delegatedCapabilities: caps(...delegated), modulus,
  });
  return admin;
}
const exportReq = (id: number) => ({ wrapKeyId: 0x81, type: 3, id, aesAlgorithm: 52, oaepAlgorithm: 26, mgf1Algorithm: 33, lHash: SHA256_EMPTY });

test('rule 6: export without export-wrapped on the session is INSUFFICIENT_PERMISSIONS', async () => {
  const admin = await exportSetup(['export-wrapped'], ['sign-ecdsa', 'exportable-under-wrap']);
  const s = await user(admin, ['get-opaque']);
  assert.equal(await s.errorOf(commands.getRsaWrappedKey, exportReq(0x10)), E.INSUFFICIENT_PERMISSIONS);
  assert.ok((await admin.send(commands.getRsaWrappedKey, exportReq(0x10))).length > 256);
});

test('rule 6: export with a wrap key lacking export-wrapped is INSUFFICIENT_PERMISSIONS', async () => {
  const admin = await exportSetup([], ['sign-ecdsa', 'exportable-under-wrap']);
  assert.equal(await admin.errorOf(commands.getRsaWrappedKey, exportReq(0x10)), E.INSUFFICIENT_PERMISSIONS);
});

test('rule 6: a target without exportable-under-wrap is INSUFFICIENT_PERMISSIONS', async () => {
  const admin = await exportSetup(['export-wrapped'], ['sign-ecdsa', 'sign-eddsa', 'exportable-under-wrap']);
  assert.equal(await admin.errorOf(commands.getRsaWrappedKey, exportReq(0x30)), E.INSUFFICIENT_PERMISSIONS);
});

test('rule 6: target capabilities outside the wrap key\'s delegated set are INSUFFICIENT_PERMISSIONS', async () => {
  const none = await exportSetup(['export-wrapped'], []);
  assert.equal(await none.errorOf(commands.getRsaWrappedKey, exportReq(0x10)), E.INSUFFICIENT_PERMISSIONS);
  const partial = await exportSetup(['export-wrapped'], ['exportable-under-wrap']);
  assert.equal(await partial.errorOf(commands.getRsaWrappedKey, exportReq(0x10)), E.INSUFFICIENT_PERMISSIONS);
});

test('rule 6: an unknown public wrap key is OBJECT_NOT_FOUND; an RSA import key cannot export', async () => {
  const admin = await exportSetup(['export-wrapped'], ['sign-ecdsa', 'exportable-under-wrap']);
  assert.equal(await admin.errorOf(commands.getRsaWrappedKey, { ...exportReq(0x10), wrapKeyId: 0x99 }), E.OBJECT_NOT_FOUND);
  assert.equal(await admin.errorOf(commands.getRsaWrappedKey, { ...exportReq(0x10), wrapKeyId: 0x80 }), E.OBJECT_NOT_FOUND);
});

test('rule 7: import without import-wrapped (session or wrap key) is INSUFFICIENT_PERMISSIONS; unknown wrap key OBJECT_NOT_FOUND', async () => {
  const admin = await setup();
  await admin.send(commands.generateWrapKey, {
    id: 0x90, label: 'imp', domains: 1, capabilities: 0n, algorithm: 9, delegatedCapabilities: caps('sign-ecdsa'),
  });
  const req = {
    wrapKeyId: 0x90, type: 3, id: 0x91, label: 'x', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 12,
    oaepAlgorithm: 26, mgf1Algorithm: 33, blob: new Uint8Array(300), lHash: SHA256_EMPTY,
  };
  assert.equal(await admin.errorOf(commands.putRsaWrappedKey, req), E.INSUFFICIENT_PERMISSIONS, 'wrap key lacks import-wrapped');
  const s = await user(admin, ['get-opaque']);
  assert.equal(await s.errorOf(commands.putRsaWrappedKey, req), E.INSUFFICIENT_PERMISSIONS, 'session lacks import-wrapped');
  assert.equal(await admin.errorOf(commands.putRsaWrappedKey, { ...req, wrapKeyId: 0x99 }), E.OBJECT_NOT_FOUND);
});

test('ChangeAuthenticationKey on another key than the session\'s own is INVALID_ID', async () => {
  const admin = await setup();
  const s = await user(admin, ['change-authentication-key']);
  const req = { keyId: 1, algorithm: 38, key: new Uint8Array(32) };
  assert.equal(await s.errorOf(commands.changeAuthenticationKey, req), E.INVALID_ID);
});
