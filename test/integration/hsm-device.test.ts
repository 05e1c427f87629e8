/**
 * Client <-> software YubiHSM 2 over real HTTP on loopback: the device-wide commands (PROTOCOL.md 5.1, 5.2, 5.7,
 * 4.6): connect and device info, Echo plain and in a session, storage info, list/info/delete, pseudo-random bytes,
 * blink, options, the audit log with its hash chain checked independently (node:crypto SHA-256), SetLogIndex, reset.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import test from 'node:test';
import { AsymmetricKey, HsmDeviceError, Opaque } from '../../src/client/index.js';
import { Command } from '../../src/protocol/command-codes.js';
import { encodeLogEntry, type LogEntry } from '../../src/protocol/log-entry.js';
import { httpRig } from '../client/harness.js';

/** Independent check of PROTOCOL.md 5.7: digest_i = SHA-256(entry_i[0:16] ‖ digest_{i-1})[0:16], numbers consecutive. */
function checkChain(entries: LogEntry[]): void {
  for (let i = 1; i < entries.length; i++) {
    const data = encodeLogEntry(entries[i]).subarray(0, 16);
    const want = createHash('sha256').update(data).update(entries[i - 1].digest).digest().subarray(0, 16);
    assert.deepEqual(Buffer.from(entries[i].digest), want, `entry ${entries[i].number} chains to the one before`);
    assert.equal(entries[i].number, (entries[i - 1].number + 1) & 0xffff);
  }
}

test('connect over HTTP: status, device info, frame limit; Echo plain and in a session', async (t) => {
  const rig = await httpRig({ device: { serial: 12345678 } });
  t.after(() => rig.close());
  assert.deepEqual(rig.hsm.firmware, { major: 2, minor: 4, patch: 0 });
  assert.equal(rig.hsm.serial, 12345678);
  assert.equal(rig.hsm.maxFrame, 3135);
  assert.equal(rig.hsm.supports(2, 4), true);
  assert.equal(rig.hsm.supports(2, 5), false);
  assert.equal(rig.hsm.partNumber, 'SIMULATED-PN');
  assert.ok(rig.hsm.deviceInfo.algorithms.includes(55));
  const big = new Uint8Array(3000).map((_, i) => i & 0xff);
  assert.deepEqual(await rig.hsm.echo(big), big);
  const s = await rig.open();
  t.after(() => s.close());
  assert.deepEqual(await s.echo(Uint8Array.of(1, 2, 3)), Uint8Array.of(1, 2, 3));
  assert.equal((await s.getDeviceInfo()).serial, 12345678);
  await assert.rejects(s.echo(new Uint8Array(3200)), { code: 'HSM_FRAME_TOO_LARGE', message: /does not fit one 3135-byte frame; send less data per command/ });
  assert.equal(s.status, 'open', 'a refused oversize command leaves the session usable');
  assert.equal((await s.echo(Uint8Array.of(9)))[0], 9);
});

test('storage, list, info, delete, pseudo-random, blink', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  t.after(() => s.close());
  const before = await s.getStorageInfo();
  assert.equal(before.totalRecords, 256);
  await Opaque.put(s, { id: 0x40, label: 'note', domains: '1,2', capabilities: 0n, data: Uint8Array.of(7) });
  assert.equal((await s.getStorageInfo()).freeRecords, before.freeRecords - 1);
  assert.deepEqual(await s.listObjects({ type: 1 }), [{ id: 0x40, type: 1, sequence: 0 }]);
  const objs = await s.objects();
  assert.deepEqual(objs.map((o) => o.toString()).sort(), ['authentication-key 0x0001', 'opaque 0x0040']);
  const info = await Opaque.from(s, 0x40).getInfo();
  assert.equal(info.labelText, 'note');
  assert.equal(info.domains, 0x0003);
  assert.equal(info.origin, 0x02);
  await s.deleteObject(1, 0x40);
  await assert.rejects(s.getObjectInfo(1, 0x40), { code: 'HSM_OBJECT_NOT_FOUND', message: /opaque 0x0040 not found/ });
  const r1 = await s.getPseudoRandom(5000); // more than one frame: fetched in pieces
  assert.equal(r1.length, 5000);
  assert.notDeepEqual(r1.subarray(0, 32), (await s.getPseudoRandom(32)));
  await s.blinkDevice(1);
});

test('options: force-audit, command-audit, algorithm toggle; SessionMessage audit refused client-side', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  t.after(() => s.close());
  assert.deepEqual(await s.getOption(0x01), { option: 0x01, forceAudit: 0 });
  await s.setOption({ option: 0x03, commands: [{ command: Command.SIGN_ECDSA, mode: 1 }] });
  const audit = await s.getOption(0x03);
  assert.ok(audit.option === 0x03 && audit.commands.some((c) => c.command === 0x56 && c.mode === 1));
  const toggle = await s.getOption(0x04);
  assert.ok(toggle.option === 0x04 && toggle.algorithms.some((a) => a.algorithm === 12) && toggle.algorithms.every((a) => a.enabled));
  await assert.rejects(s.setOption({ option: 0x03, commands: [{ command: 0x05, mode: 1 }] }), { code: 'HSM_BAD_ARGUMENT', message: /SessionMessage/ });
});

test('audit log: entries for audited commands, hash chain verified by the client and independently, SetLogIndex', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  t.after(() => s.close());
  await s.setOption({ option: 0x03, commands: [{ command: Command.SIGN_ECDSA, mode: 1 }, { command: Command.GENERATE_ASYMMETRIC_KEY, mode: 1 }] });
  const first = await s.getAuditLog();
  checkChain(first.entries);
  assert.equal(first.verified, first.entries.length - 1);
  assert.equal(first.entries[0].command, 0xff, 'reset marker first');
  const trusted = first.entries[first.entries.length - 1];

  const key = await AsymmetricKey.generate(s, { id: 0x55, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  await key.signEcdsa(new Uint8Array(32).fill(1));
  const second = await s.getAuditLog(trusted);
  checkChain(second.entries);
  const fresh = second.entries.filter((e) => e.number > trusted.number);
  assert.deepEqual(fresh.map((e) => [e.command, e.sessionKey, e.targetKey, e.result]), [
    [0x46, 1, 0x55, 0xc6],
    [0x56, 1, 0x55, 0xd6],
  ]);
  assert.equal(second.verified, 2);

  const forged = { ...trusted, digest: trusted.digest.map((b) => b ^ 1) };
  await assert.rejects(s.getAuditLog(forged), { code: 'HSM_LOG_DIGEST_MISMATCH', message: /does not chain to the entry before it/ });

  await s.setLogIndex(second.entries[second.entries.length - 1].number);
  const third = await s.getLogEntries();
  assert.equal(third.entries.length, 0);
});

test('reset: the device returns to its factory state and the session ends', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  await Opaque.put(s, { id: 0x41, domains: 1, capabilities: 0n, data: Uint8Array.of(1) });
  await s.resetDevice();
  assert.equal(s.status, 'closed');
  const again = await rig.open();
  t.after(() => again.close());
  assert.deepEqual(await again.listObjects(), [{ id: 1, type: 2, sequence: 0 }]);
  const log = await again.getLogEntries();
  assert.equal(log.entries[0].command, 0xff);
  await assert.rejects(again.getObjectInfo(1, 0x41), (e: unknown) => e instanceof HsmDeviceError && e.code === 'HSM_OBJECT_NOT_FOUND');
});
