/**
 * Sessions through the client over HTTP, refused the way the device refuses them (PROTOCOL.md 3, 10 #16): a
 * tampered C-MAC (AUTHENTICATION_FAILED, session dropped), a wrong password, a replayed SessionMessage, a 17th
 * session (SESSIONS_FULL), an expired session (INVALID_SESSION); reopen over HTTP; authentication keys
 * (put from a password, change, asymmetric P-256 authentication).
 */
import assert from 'node:assert/strict';
import { createHash, verify } from 'node:crypto';
import test from 'node:test';
import {
  AsymmetricKey,
  AuthenticationKey,
  deriveAuthenticationKeys,
  HsmDeviceError,
  HsmSessionLostError,
  YubiHsm,
  type HsmSession,
  type SessionEvent,
} from '../../src/client/index.js';
import { generateP256KeyPair } from '../../src/crypto/asym-auth.js';
import { httpRig } from '../client/harness.js';

const digest = (m: string) => new Uint8Array(createHash('sha256').update(m).digest());

test('a tampered C-MAC is refused with AUTHENTICATION_FAILED and the device drops the session', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  rig.transport.tamperNextRequest((f) => {
    f[f.length - 1] ^= 0x80;
    return f;
  });
  await assert.rejects(s.listObjects(), (e: unknown) => {
    assert.ok(e instanceof HsmSessionLostError);
    assert.equal(e.reason, 'authentication-failed');
    assert.equal(e.executed, 'no');
    assert.equal((e.cause as HsmDeviceError).code, 'HSM_AUTHENTICATION_FAILED');
    assert.match(e.message, /the device rejected the message MAC/);
    return true;
  });
  assert.equal(rig.device.sessionCount, 0, 'the device dropped the session');
});

test('a replayed SessionMessage is refused (the MAC chain has moved on) and kills the session', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  await s.echo(Uint8Array.of(1));
  const old = rig.transport.sent[rig.transport.sent.length - 1];
  assert.equal(old[0], 0x05);
  await s.echo(Uint8Array.of(2));
  const replayAnswer = await rig.transport.raw(old);
  assert.deepEqual(replayAnswer, Uint8Array.of(0x7f, 0x00, 0x01, 0x04), 'plain AUTHENTICATION_FAILED');
  await assert.rejects(s.echo(Uint8Array.of(3)), { code: 'HSM_SESSION_LOST', message: /no longer knows it/ });
});

test('wrong password, unknown auth key, 17th session, expired session', async (t) => {
  const clock = { now: 5_000_000 };
  const rig = await httpRig({ device: { now: () => clock.now } });
  t.after(() => rig.close());
  await assert.rejects(rig.open({ password: 'not the password' }), { code: 'HSM_WRONG_PASSWORD' });
  await assert.rejects(rig.open({ authKeyId: 0x99 }), {
    code: 'HSM_OBJECT_NOT_FOUND',
    message: 'CreateSession failed (OBJECT_NOT_FOUND): authentication key 0x0099 does not exist on the device; check the auth key id.',
  });
  const sessions: HsmSession[] = [];
  for (let i = 0; i < 16; i++) sessions.push(await rig.open());
  assert.deepEqual(sessions.map((s) => s.sessionId), Array.from({ length: 16 }, (_, i) => i));
  await assert.rejects(rig.open(), (e: unknown) => {
    assert.ok(e instanceof HsmDeviceError);
    assert.equal(e.code, 'HSM_SESSIONS_FULL');
    assert.equal(e.deviceCode, 0x05);
    assert.match(e.message, /all 16 session slots are in use; close sessions you no longer need or wait 30 s/);
    return true;
  });
  await sessions[3].close();
  const again = await rig.open();
  assert.equal(again.sessionId, 3, 'the lowest free slot');

  clock.now += 30_000;
  await assert.rejects(sessions[0].listObjects(), (e: unknown) => {
    assert.ok(e instanceof HsmSessionLostError);
    assert.equal(e.reason, 'invalid-session');
    assert.equal((e.cause as HsmDeviceError).code, 'HSM_INVALID_SESSION');
    return true;
  });
  const fresh = await rig.open();
  assert.equal(fresh.sessionId, 0, 'expired slots are free again');
});

test('reopen over HTTP: a sign after expiry runs on a new session; a delete is not re-run', async (t) => {
  const clock = { now: 5_000_000 };
  const rig = await httpRig({ device: { now: () => clock.now } });
  t.after(() => rig.close());
  const events: SessionEvent[] = [];
  const s = await rig.open({ reopen: 'idempotent', onEvent: (e) => events.push(e) });
  const key = await AsymmetricKey.generate(s, { id: 0x60, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  const pem = (await key.getPublicKey()).pem;
  const first = s.sessionId;
  await rig.open(); // takes another slot so the reopened session gets a different id
  clock.now += 31_000;
  await rig.open();
  assert.ok(verify('sha256', Buffer.from('after expiry'), pem, await key.signEcdsa(digest('after expiry'))));
  const reopened = events.find((e) => e.type === 'reopened') as Extract<SessionEvent, { type: 'reopened' }>;
  assert.equal(reopened.previousSessionId, first);
  assert.equal(reopened.sessionId, s.sessionId);
  assert.equal(reopened.rerun, true);

  clock.now += 31_000;
  await assert.rejects(key.delete(), { code: 'HSM_SESSION_LOST', message: /DeleteObject was not executed; DeleteObject changes device state, so it is not re-run automatically/ });
  assert.equal((await key.getInfo()).id, 0x60, 'the key is still there (and the session reopened for this read)');
  await s.close();
});

test('authentication keys: put from a password, open with it, change its password, asymmetric P-256 authentication', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const admin = await rig.open();
  t.after(() => admin.close());
  const app = await AuthenticationKey.putDerived(admin, {
    id: 2, label: 'app', domains: 1, capabilities: 'sign-ecdsa,change-authentication-key', delegatedCapabilities: 'sign-ecdsa', password: 'app secret',
  });
  const info = await app.getInfo();
  assert.equal(info.algorithm, 38);
  assert.equal(info.delegatedCapabilities, 1n << 7n);
  const s = await rig.open({ authKeyId: 2, password: 'app secret' });
  await AuthenticationKey.from(s, 2).changePassword('new secret');
  await s.close();
  await assert.rejects(rig.open({ authKeyId: 2, password: 'app secret' }), { code: 'HSM_WRONG_PASSWORD' });
  const keys = await deriveAuthenticationKeys('new secret');
  const s2 = await rig.open({ authKeyId: 2, keys });
  await assert.rejects(AuthenticationKey.from(s2, 1).changePassword('x'), {
    code: 'HSM_INVALID_ID',
    message: 'ChangeAuthenticationKey failed (INVALID_ID): a session can change only its own authentication key (0x0002), not 0x0001; open a session with 0x0001 to change it.',
  });
  await s2.close();

  const pair = generateP256KeyPair();
  await AuthenticationKey.putPublicKey(admin, {
    id: 3, label: 'asym', domains: 1, capabilities: 'get-pseudo-random', delegatedCapabilities: 0n, publicKey: pair.publicKey,
  });
  assert.equal((await AuthenticationKey.from(admin, 3).getInfo()).algorithm, 49);
  const asym = await rig.open({ authKeyId: 3, privateKey: pair.privateKey });
  assert.equal((await asym.getPseudoRandom(8)).length, 8);
  await asym.close();
  const other = generateP256KeyPair();
  await assert.rejects(rig.open({ authKeyId: 3, privateKey: other.privateKey }), { code: 'HSM_ASYMMETRIC_AUTH_FAILED' });
});

test('connect({ connector }) with several connections: sessions run side by side', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const hsm = await YubiHsm.connect({ connector: rig.url, connections: 3 });
  t.after(() => hsm.close());
  assert.equal(hsm.transports.length, 3);
  const admin = await hsm.openSession({ authKeyId: 1, password: 'password' });
  const key = await AsymmetricKey.generate(admin, { id: 0x70, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  const pem = (await key.getPublicKey()).pem;
  const sessions = await Promise.all([1, 2, 3].map(() => hsm.openSession({ authKeyId: 1, password: 'password' })));
  const sigs = await Promise.all(sessions.flatMap((s, i) => [0, 1, 2, 3].map((j) => AsymmetricKey.from(s, 0x70).signEcdsa(digest(`${i}/${j}`)))));
  sigs.forEach((sig, n) => assert.ok(verify('sha256', Buffer.from(`${Math.floor(n / 4)}/${n % 4}`), pem, sig)));
  await hsm.close();
  assert.equal(rig.device.sessionCount, 0, 'close() closed every session it opened');
});
