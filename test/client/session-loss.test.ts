/**
 * Session loss and reopen (PROTOCOL.md 8 client rules 4 and 6): a session the device dropped (expired), a reply
 * that fails its R-MAC, a lost frame. Reads and signs are re-run on a fresh session only with reopen: 'idempotent';
 * creates are never re-run; the caller always hears about it (error, `onEvent`, emitted events).
 */
import assert from 'node:assert/strict';
import { createHash, verify } from 'node:crypto';
import test from 'node:test';
import { AsymmetricKey, HsmSessionLostError, Opaque, type SessionEvent } from '../../src/client/index.js';
import { inProcessRig } from './harness.js';

const digest = (text: string) => new Uint8Array(createHash('sha256').update(text).digest());
const flipLastByte = (r: Uint8Array) => {
  r[r.length - 1] ^= 0x01;
  return r;
};

async function withKey(rig: Awaited<ReturnType<typeof inProcessRig>>) {
  const admin = await rig.open();
  const key = await AsymmetricKey.generate(admin, { id: 0x10, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  const pem = (await key.getPublicKey()).pem;
  await admin.close();
  return pem;
}

test('expired session, reopen never: the command is refused and not executed, the caller is told', async (t) => {
  const rig = await inProcessRig({ clock: true });
  t.after(() => rig.close());
  await withKey(rig);
  const events: SessionEvent[] = [];
  const s = await rig.open({ onEvent: (e) => events.push(e) });
  rig.clock.now += 31_000;
  const key = AsymmetricKey.from(s, 0x10);
  await assert.rejects(key.signEcdsa(digest('a')), (e: unknown) => {
    assert.ok(e instanceof HsmSessionLostError);
    assert.equal(e.code, 'HSM_SESSION_LOST');
    assert.equal(e.reason, 'invalid-session');
    assert.equal(e.executed, 'no');
    assert.match(e.message, /is gone: the device no longer knows it \(idle for 30 s, closed, or the device was reset\)\. SignEcdsa was not executed; open a new session \(or open sessions with reopen: 'idempotent'/);
    return true;
  });
  assert.deepEqual(events.map((e) => [e.type, 'reason' in e ? e.reason : '']), [['lost', 'invalid-session']]);
  assert.equal(s.status, 'lost');
  await assert.rejects(key.signEcdsa(digest('a')), { code: 'HSM_SESSION_LOST', message: /was lost earlier \(invalid-session\), so SignEcdsa was not sent/ });
});

test('expired session, reopen idempotent: a sign is re-run on a new session and reported', async (t) => {
  const rig = await inProcessRig({ clock: true });
  t.after(() => rig.close());
  const pem = await withKey(rig);
  const events: SessionEvent[] = [];
  const s = await rig.open({ reopen: 'idempotent', onEvent: (e) => events.push(e) });
  const emitted: string[] = [];
  s.on('reopened', (e: SessionEvent) => emitted.push(e.type));
  rig.clock.now += 31_000;
  const sig = await AsymmetricKey.from(s, 0x10).signEcdsa(digest('hello'));
  assert.ok(verify('sha256', Buffer.from('hello'), pem, sig), 'signature made after the reopen verifies');
  assert.deepEqual(events.map((e) => e.type), ['lost', 'reopened']);
  const reopened = events[1] as Extract<SessionEvent, { type: 'reopened' }>;
  assert.equal(reopened.rerun, true);
  assert.equal(reopened.reason, 'invalid-session');
  assert.equal(reopened.command, 'SignEcdsa');
  assert.deepEqual(emitted, ['reopened']);
  assert.equal(s.status, 'open');
  await s.close();
});

test('expired session, reopen idempotent: a create is not re-run; the next call reopens', async (t) => {
  const rig = await inProcessRig({ clock: true });
  t.after(() => rig.close());
  const events: SessionEvent[] = [];
  const s = await rig.open({ reopen: 'idempotent', onEvent: (e) => events.push(e) });
  rig.clock.now += 31_000;
  await assert.rejects(
    AsymmetricKey.generate(s, { id: 0x20, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' }),
    (e: unknown) => {
      assert.ok(e instanceof HsmSessionLostError);
      assert.equal(e.executed, 'no');
      assert.match(e.message, /GenerateAsymmetricKey was not executed; GenerateAsymmetricKey changes device state, so it is not re-run automatically; the next call reopens the session\./);
      return true;
    },
  );
  const listed = await s.listObjects();
  assert.deepEqual(listed.map((o) => o.id), [1], 'the key was not created');
  assert.deepEqual(events.map((e) => [e.type, 'rerun' in e ? e.rerun : undefined]), [['lost', undefined], ['reopened', false]]);
  await s.close();
});

test('a tampered answer kills the session; a put whose answer was lost is reported as maybe executed', async (t) => {
  const rig = await inProcessRig();
  t.after(() => rig.close());
  const s = await rig.open({ reopen: 'idempotent' });
  rig.transport.tamperNextResponse(flipLastByte);
  await assert.rejects(
    Opaque.put(s, { id: 0x30, domains: 1, capabilities: 0n, data: Uint8Array.of(1, 2, 3) }),
    (e: unknown) => {
      assert.ok(e instanceof HsmSessionLostError);
      assert.equal(e.reason, 'bad-response');
      assert.equal(e.executed, 'unknown');
      assert.match(e.message, /the answer failed verification \(.*MAC.*\)\. PutOpaque may or may not have run on the device; PutOpaque changes device state, so it is not re-run automatically; check the device state \(ListObjects, GetObjectInfo\) before retrying/);
      return true;
    },
  );
  // It did run: the device created the object before its answer was damaged. That is why it is not re-run.
  assert.deepEqual(await Opaque.from(s, 0x30).get(), Uint8Array.of(1, 2, 3));
  await s.close();
});

test('a tampered answer to a sign, or a lost frame, is re-run once on a new session with reopen idempotent', async (t) => {
  const rig = await inProcessRig();
  t.after(() => rig.close());
  const pem = await withKey(rig);
  const events: SessionEvent[] = [];
  const s = await rig.open({ reopen: 'idempotent', onEvent: (e) => events.push(e) });
  const key = AsymmetricKey.from(s, 0x10);
  rig.transport.tamperNextResponse(flipLastByte);
  assert.ok(verify('sha256', Buffer.from('x'), pem, await key.signEcdsa(digest('x'))));
  rig.transport.dropNextRequest();
  assert.ok(verify('sha256', Buffer.from('y'), pem, await key.signEcdsa(digest('y'))));
  rig.transport.dropNextResponse();
  assert.ok(verify('sha256', Buffer.from('z'), pem, await key.signEcdsa(digest('z'))));
  assert.deepEqual(
    events.map((e) => `${e.type}:${'reason' in e ? e.reason : ''}`),
    ['lost:bad-response', 'reopened:bad-response', 'lost:transport', 'reopened:transport', 'lost:transport', 'reopened:transport'],
  );
  await s.close();
  // The abandoned sessions expire on the device by themselves; the current one was closed.
});

test('reopen is tried once: a command that fails again surfaces the loss', async (t) => {
  const rig = await inProcessRig();
  t.after(() => rig.close());
  await withKey(rig);
  const s = await rig.open({ reopen: 'idempotent' });
  rig.transport.tamperNextResponse(flipLastByte);
  rig.transport.dropNextRequest(); // CreateSession of the reopen is lost
  await assert.rejects(AsymmetricKey.from(s, 0x10).signEcdsa(digest('q')), { code: 'HSM_SESSION_LOST', message: /reopening it failed/ });
  // And the next call reopens for real.
  await AsymmetricKey.from(s, 0x10).signEcdsa(digest('q'));
  await s.close();
});

test('commands on one session are serialised: 32 concurrent signs all succeed', async (t) => {
  const rig = await inProcessRig();
  t.after(() => rig.close());
  const pem = await withKey(rig);
  const s = await rig.open();
  const key = AsymmetricKey.from(s, 0x10);
  const sigs = await Promise.all(Array.from({ length: 32 }, (_, i) => key.signEcdsa(digest(`m${i}`))));
  sigs.forEach((sig, i) => assert.ok(verify('sha256', Buffer.from(`m${i}`), pem, sig)));
  await s.close();
});

test('wrong passwords leave no half-open sessions behind; closed sessions refuse commands', async (t) => {
  const rig = await inProcessRig();
  t.after(() => rig.close());
  for (let i = 0; i < 20; i++) {
    await assert.rejects(rig.open({ password: `wrong${i}` }), {
      code: 'HSM_WRONG_PASSWORD',
      message: /^Wrong password \(or derived keys\) for auth key 0x0001: the device's card cryptogram does not match; check the password and the auth key id\.$/,
    });
  }
  assert.equal(rig.device.sessionCount, 0);
  const s = await rig.open();
  await s.close();
  assert.equal(rig.device.sessionCount, 0);
  await assert.rejects(s.listObjects(), { code: 'HSM_SESSION_CLOSED', message: /This session is closed, so ListObjects was not sent/ });
  await s.close(); // idempotent
});

test('keep-alive keeps an idle session open; without it the device drops it', async (t) => {
  const rig = await inProcessRig({ device: { sessionTimeoutMs: 1_000 } });
  t.after(() => rig.close());
  const kept = await rig.open({ keepAliveMs: 200 });
  const idle = await rig.open();
  await new Promise((r) => setTimeout(r, 2_500));
  assert.equal((await kept.listObjects()).length, 1);
  await assert.rejects(idle.listObjects(), { code: 'HSM_SESSION_LOST' });
  await kept.close();
});

test("the caller's key bytes are copied, never wiped, even when they are Buffers", async (t) => {
  const rig = await inProcessRig();
  t.after(() => rig.close());
  const keys = { encKey: Buffer.from('090b47dbed595654901dee1cc655e420', 'hex'), macKey: Buffer.from('592fd483f759e29909a04c4505d2ce0a', 'hex') };
  const s = await rig.hsm.openSession({ authKeyId: 1, keys, reopen: 'idempotent' });
  const scalar = Buffer.from('db904ff996f4492225cc802790c2fd06830073e9a2f5eb993b6a89a0225dc617', 'hex');
  await AsymmetricKey.put(s, { id: 0x40, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256', key: scalar });
  await s.close();
  assert.equal(keys.encKey.toString('hex'), '090b47dbed595654901dee1cc655e420');
  assert.equal(keys.macKey.toString('hex'), '592fd483f759e29909a04c4505d2ce0a');
  assert.equal(scalar.toString('hex'), 'db904ff996f4492225cc802790c2fd06830073e9a2f5eb993b6a89a0225dc617');
});

test('a session lost while diagnosing a refusal is known to be lost afterwards', async (t) => {
  const rig = await inProcessRig();
  t.after(() => rig.close());
  const s = await rig.open();
  const events: SessionEvent[] = [];
  s.on('event', (e: SessionEvent) => events.push(e));
  // GetObjectInfo of 0x0099 fails with OBJECT_NOT_FOUND; the diagnosis then reads the auth key, whose answer is lost.
  rig.transport.tamperNextResponse((r) => r); // the failing command itself
  rig.transport.dropNextResponse(); // the diagnosis read of the auth key
  await assert.rejects(s.getObjectInfo(3, 0x99), { code: 'HSM_OBJECT_NOT_FOUND' });
  assert.equal(s.status, 'lost');
  assert.deepEqual(events.map((e) => e.type), ['lost']);
  await assert.rejects(s.listObjects(), { code: 'HSM_SESSION_LOST', message: /was lost earlier \(transport\)/ });
});
