import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateP256KeyPair } from '../../src/crypto/asym-auth.js';
import { AuthenticationError } from '../../src/errors.js';
import { ALL_DEFINED_CAPABILITIES } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { encodeFrame } from '../../src/protocol/frame.js';
import { SecureChannel } from '../../src/session/index.js';
import { hex, keysFor, newDevice, openSession, plain, unhex } from './helpers.js';

const ECHO = encodeFrame(0x01, unhex('cafe'));

test('16 sessions open, the 17th CreateSession gets SESSIONS_FULL (7F 00 01 05)', async () => {
  const d = newDevice();
  const ids: number[] = [];
  for (let i = 0; i < 16; i++) ids.push((await openSession(d)).id);
  assert.deepEqual(ids, [...Array(16).keys()]);
  const seventeenth = await plain(d, 0x03, unhex('0001 0001020304050607'));
  assert.equal(hex(seventeenth), '7f000105');
});

test('the lowest free session id is reused after CloseSession; the closed id is then INVALID_SESSION', async () => {
  const d = newDevice();
  const s0 = await openSession(d);
  const s1 = await openSession(d);
  await openSession(d);
  assert.equal(s1.id, 1);
  const close = s1.channel.wrapCommand(encodeFrame(0x40));
  assert.equal(hex(s1.channel.unwrapResponse(await d.handle(close))), 'c00000');
  assert.equal(d.sessionCount, 2);
  assert.equal((await openSession(d)).id, 1);
  assert.equal(hex(await s0.raw(ECHO)), '810002cafe');
  // A frame for a free slot.
  assert.equal(hex(await d.handle(unhex('0500190f' + '00'.repeat(24)))), '7f000103');
});

test('a session idle for 30 s is dropped (INVALID_SESSION); activity before that keeps it', async () => {
  let t = 1_000_000;
  const d = newDevice({ now: () => t });
  const s = await openSession(d);
  t += 29_999;
  assert.equal(hex(await s.raw(ECHO)), '810002cafe');
  t += 29_999;
  assert.equal(hex(await s.raw(ECHO)), '810002cafe');
  t += 30_000;
  const frame = s.channel.wrapCommand(ECHO);
  assert.equal(hex(await d.handle(frame)), '7f000103');
  assert.equal(d.sessionCount, 0);
});

test('a tampered C-MAC gets a plain AUTHENTICATION_FAILED and the session is dropped', async () => {
  const d = newDevice();
  const s = await openSession(d);
  const frame = s.channel.wrapCommand(ECHO);
  const tampered = frame.slice();
  tampered[tampered.length - 1] ^= 0x01;
  assert.equal(hex(await d.handle(tampered)), '7f000104');
  assert.equal(d.sessionCount, 0);
  assert.equal(hex(await d.handle(frame)), '7f000103', 'the genuine frame is refused too: the session is gone');
});

test('a tampered ciphertext fails the MAC as well', async () => {
  const d = newDevice();
  const s = await openSession(d);
  const frame = s.channel.wrapCommand(ECHO);
  frame[5] ^= 0x80;
  assert.equal(hex(await d.handle(frame)), '7f000104');
});

test('a replayed SessionMessage is refused (AUTHENTICATION_FAILED) and ends the session', async () => {
  const d = newDevice();
  const s = await openSession(d);
  const frame = s.channel.wrapCommand(ECHO);
  const first = await d.handle(frame);
  assert.equal(hex(s.channel.unwrapResponse(first)), '810002cafe');
  assert.equal(hex(await d.handle(frame)), '7f000104');
  assert.equal(d.sessionCount, 0);
});

test('a wrong password: the host sees a bad card cryptogram, and the half-open session is cleaned up', async () => {
  const d = newDevice();
  const ch = SecureChannel.hostSymmetric({ authKeyId: 1, keys: keysFor('not the password') });
  await assert.rejects(ch.handshake((f) => d.handle(f)), (e: unknown) => e instanceof AuthenticationError && e.code === 'WRONG_PASSWORD');
  assert.equal(d.sessionCount, 0, 'the cleanup AuthenticateSession failed on the device and freed the slot');
});

test('AuthenticateSession with a wrong host cryptogram fails with AUTHENTICATION_FAILED and frees the slot', async () => {
  const d = newDevice();
  const created = await plain(d, 0x03, unhex('0001 0001020304050607'));
  assert.equal(created[0], 0x83);
  const sid = created[3];
  const answer = await d.handle(unhex(`040011${sid.toString(16).padStart(2, '0')}` + '00'.repeat(16)));
  assert.equal(hex(answer), '7f000104');
  assert.equal(d.sessionCount, 0);
});

test('session-level refusals are plain error frames', async () => {
  const d = newDevice();
  assert.equal(hex(await plain(d, 0x03, unhex('0077 0001020304050607'))), '7f00010b', 'unknown auth key');
  assert.equal(hex(await plain(d, 0x03, unhex('0001 00010203'))), '7f000108', 'short CreateSession');
  assert.equal(hex(await d.handle(unhex('04001105' + '00'.repeat(16)))), '7f000103', 'AuthenticateSession for no session');
  assert.equal(hex(await d.handle(unhex('0500010a'))), '7f000103', 'SessionMessage for no session');
});

test('frame-level refusals: unknown command, session-only command sent plain, bad length, oversize', async () => {
  const d = newDevice();
  assert.equal(hex(await plain(d, 0x02)), '7f000101');
  assert.equal(hex(await plain(d, 0x7e)), '7f000101');
  assert.equal(hex(await plain(d, 0x48)), '7f000101', 'ListObjects needs a session');
  assert.equal(hex(await d.handle(unhex('010003aa'))), '7f000108', 'length field says 3, 1 byte follows');
  assert.equal(hex(await d.handle(unhex('0100'))), '7f000108');
  const big = encodeFrame(0x01, new Uint8Array(3134));
  assert.equal(big.length, 3137);
  assert.equal(hex(await d.handle(big)), '7f000108');
  const max = encodeFrame(0x01, new Uint8Array(3133).fill(7));
  assert.equal((await d.handle(max)).length, 3136, 'a 3136-byte Echo is answered');
});

test('inside a session: plain-only commands are INVALID_COMMAND, failures are encrypted and the session lives on', async () => {
  const d = newDevice();
  const s = await openSession(d);
  assert.equal(hex(await s.raw(unhex('03000a00010001020304050607'))), '7f000101');
  assert.equal(hex(await s.raw(unhex('4e0003 1234 03'))), '7f00010b');
  assert.equal(hex(await s.raw(ECHO)), '810002cafe');
  assert.equal(hex(await s.raw(unhex('4e0002 1234'))), '7f000108', 'a short GetObjectInfo is an inner WRONG_LENGTH');
});

test('asymmetric (P-256) authentication opens a session with a type-2 algorithm-49 key', async () => {
  const d = newDevice();
  const admin = await openSession(d);
  const pair = generateP256KeyPair();
  await admin.send(commands.putAuthenticationKey, {
    id: 2, label: 'asym', domains: 1, capabilities: ALL_DEFINED_CAPABILITIES, algorithm: 49,
    delegatedCapabilities: ALL_DEFINED_CAPABILITIES, key: pair.publicKey.slice(1),
  });
  const devPub = await plain(d, 0x0a);
  assert.equal(devPub.length, 68);
  assert.equal(hex(devPub.subarray(0, 4)), '8a004131');
  const ch = SecureChannel.hostAsymmetric({ authKeyId: 2, privateKey: pair.privateKey, devicePublicKey: devPub.subarray(4) });
  await ch.handshake((f) => d.handle(f));
  assert.equal(hex(ch.unwrapResponse(await d.handle(ch.wrapCommand(ECHO)))), '810002cafe');
  // A symmetric CreateSession for an asymmetric key is refused.
  assert.equal(hex(await plain(d, 0x03, unhex('0002 0001020304050607'))), '7f000102');
});
