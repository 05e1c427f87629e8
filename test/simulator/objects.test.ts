/** Object store: sequence numbers per (type, id) across delete and re-create, origin flags, ids chosen by the device. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capabilities as caps } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { DeviceErrorCode as E } from '../../src/protocol/device-errors.js';
import { newDevice, openSession, unhex } from './helpers.js';

const gen = (id: number, label = 'k') => ({ id, label, domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 12 });

test('sequence numbers count the objects ever stored at a (type, id), across delete and re-create', async () => {
  const s = await openSession(newDevice());
  const seqs: number[] = [];
  for (let i = 0; i < 3; i++) {
    await s.send(commands.generateAsymmetricKey, gen(0x100));
    seqs.push((await s.send(commands.getObjectInfo, { id: 0x100, type: 3 })).sequence);
    await s.send(commands.deleteObject, { id: 0x100, type: 3 });
  }
  assert.deepEqual(seqs, [0, 1, 2]);
  // Another type at the same id has its own counter; so has another id.
  await s.send(commands.putOpaque, { id: 0x100, label: 'o', domains: 1, capabilities: 0n, algorithm: 30, data: unhex('aa') });
  await s.send(commands.generateAsymmetricKey, gen(0x101));
  const list = await s.send(commands.listObjects, {});
  assert.deepEqual(list.filter((o) => o.id !== 1), [
    { id: 0x100, type: 1, sequence: 0 },
    { id: 0x101, type: 3, sequence: 0 },
  ]);
  await s.send(commands.generateAsymmetricKey, gen(0x100));
  assert.equal((await s.send(commands.getObjectInfo, { id: 0x100, type: 3 })).sequence, 3);
});

test('origin: generated 0x01, imported 0x02, imported under RSA wrap 0x12', async () => {
  const s = await openSession(newDevice());
  await s.send(commands.generateAsymmetricKey, gen(0x10));
  await s.send(commands.putAsymmetricKey, { ...gen(0x11), key: unhex('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721') });
  assert.equal((await s.send(commands.getObjectInfo, { id: 0x10, type: 3 })).origin, 0x01);
  assert.equal((await s.send(commands.getObjectInfo, { id: 0x11, type: 3 })).origin, 0x02);
  // RFC 6979 A.2.5 P-256 private key x: the public key is its published Ux ‖ Uy.
  const pub = await s.send(commands.getPublicKey, { keyId: 0x11 });
  assert.equal(
    Buffer.from(pub.publicKey).toString('hex'),
    '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6' + '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
  );
});

test('id 0 asks the device for the lowest free id of that type; 0xFFFF is INVALID_ID', async () => {
  const s = await openSession(newDevice());
  assert.equal(await s.send(commands.generateAsymmetricKey, gen(0)), 1);
  assert.equal(await s.send(commands.generateAsymmetricKey, gen(0)), 2);
  assert.equal(await s.errorOf(commands.generateAsymmetricKey, gen(0xffff)), E.INVALID_ID);
});

test('GetObjectInfo lengths follow the stored body sizes (RSA 3.5k, EC 3f, Ed25519 96, AES wrap 8 + key)', async () => {
  const s = await openSession(newDevice());
  await s.send(commands.generateAsymmetricKey, { ...gen(1), algorithm: 13 });
  await s.send(commands.generateAsymmetricKey, { ...gen(2), capabilities: caps('sign-eddsa'), algorithm: 46 });
  await s.send(commands.generateWrapKey, { id: 3, label: 'w', domains: 1, capabilities: 0n, algorithm: 42, delegatedCapabilities: 0n });
  assert.equal((await s.send(commands.getObjectInfo, { id: 1, type: 3 })).length, 144);
  assert.equal((await s.send(commands.getObjectInfo, { id: 2, type: 3 })).length, 96);
  assert.equal((await s.send(commands.getObjectInfo, { id: 3, type: 4 })).length, 40);
});

test('a malformed key body is refused: wrong length WRONG_LENGTH, scalar out of range INVALID_DATA', async () => {
  const s = await openSession(newDevice());
  assert.equal(await s.errorOf(commands.putAsymmetricKey, { ...gen(5), key: new Uint8Array(31).fill(1) }), E.WRONG_LENGTH);
  assert.equal(await s.errorOf(commands.putAsymmetricKey, { ...gen(5), key: new Uint8Array(32).fill(0xff) }), E.INVALID_DATA);
  assert.equal(await s.errorOf(commands.putAsymmetricKey, { ...gen(5), key: new Uint8Array(32) }), E.INVALID_DATA);
});
