/** The audit log (PROTOCOL.md 5.7): hash chain, command-audit and force-audit options, LOG_FULL, SetLogIndex, reset. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyLogChain } from '../../src/crypto/log-chain.js';
import { capabilities as caps } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { DeviceErrorCode as E } from '../../src/protocol/device-errors.js';
import { encodeLogEntry } from '../../src/protocol/log-entry.js';
import { hex, newDevice, openSession, unhex } from './helpers.js';

const DIGEST = unhex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

test('with command audit on, every command is logged with its fields and the chain verifies (log-chain.ts)', async () => {
  let t = 5_000;
  const d = newDevice({ commandAuditDefault: 1, now: () => t });
  t += 139;
  const s = await openSession(d);
  t += 10;
  await s.send(commands.generateAsymmetricKey, { id: 0x64, label: 'k', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 12 });
  await s.send(commands.signEcdsa, { keyId: 0x64, digest: DIGEST });
  assert.equal(await s.errorOf(commands.signEcdsa, { keyId: 0x65, digest: DIGEST }), E.OBJECT_NOT_FOUND);
  const logs = await s.send(commands.getLogEntries, undefined);
  const raw = logs.entries.map(encodeLogEntry);
  assert.deepEqual(verifyLogChain(raw), { ok: true, verified: raw.length - 1 });
  const fields = (i: number) => hex(raw[i].subarray(0, 16));
  // number ‖ cmd ‖ length ‖ session key ‖ target ‖ second ‖ result ‖ tick
  assert.equal(fields(0), '0001' + 'ff'.repeat(14), 'reset marker');
  assert.equal(fields(1), '0002' + '00' + '0000' + 'ffff' + '0000' + '0000' + '00' + '00000000', 'boot marker');
  assert.equal(fields(2), '0003' + '03' + '000a' + 'ffff' + '0001' + 'ffff' + '83' + '0000008b', 'CreateSession at tick 139');
  assert.equal(fields(3), '0004' + '04' + '0011' + 'ffff' + '0001' + 'ffff' + '84' + '0000008b', 'AuthenticateSession');
  assert.equal(fields(4), '0005' + '46' + '0035' + '0001' + '0064' + 'ffff' + 'c6' + '00000095', 'GenerateAsymmetricKey');
  assert.equal(fields(5), '0006' + '56' + '0022' + '0001' + '0064' + 'ffff' + 'd6' + '00000095', 'SignEcdsa');
  assert.equal(fields(6), '0007' + '56' + '0022' + '0001' + 'ffff' + 'ffff' + '0b' + '00000095', 'a failure logs its error code');
  // The device info counters agree.
  const info = await d.handle(unhex('060000'));
  assert.equal(info[11], 8, 'log used: 7 shown + the GetLogEntries just logged');
});

test('firmware 2.4 default: command audit off, only reset and boot markers; GetOption lists every command in device order', async () => {
  const d = newDevice();
  const s = await openSession(d);
  await s.send(commands.echo, unhex('01'));
  assert.equal((await s.send(commands.getLogEntries, undefined)).entries.length, 2);
  const audit = await s.send(commands.getOption, 0x03);
  assert.equal(
    hex(audit),
    '0100030004000500060007000900080040004100420043004400450046004700550056004800490057004a004b004c004d0067004e004f00500051' +
      '0052005300540058005900' + '5a005b005c005d005e005f006000610062006300640065006600680069006a006b006c000a006d006e006f0070' +
      '0071007200730074007500760077' + '00',
  );
  await s.send(commands.setOption, { option: 0x03, commands: [{ command: 0x01, mode: 1 }] });
  await s.send(commands.echo, unhex('02'));
  const entries = (await s.send(commands.getLogEntries, undefined)).entries;
  assert.equal(entries.length, 3);
  assert.equal(entries[2].command, 0x01);
  assert.equal(entries[2].sessionKey, 1);
  assert.equal(await s.errorOf(commands.setOption, { option: 0x03, commands: [{ command: 0x02, mode: 1 }] }), E.INVALID_DATA, 'no such command');
});

test('force-audit: a full log refuses loggable commands with LOG_FULL; GetLogEntries and SetLogIndex free it', async () => {
  const d = newDevice();
  const s = await openSession(d);
  await s.send(commands.generateHmacKey, { id: 5, label: 'h', domains: 1, capabilities: caps('sign-hmac'), algorithm: 20 });
  await s.send(commands.setOption, { option: 0x01, forceAudit: 1 });
  let code = 0;
  let signed = 0;
  for (let i = 0; i < 70 && code === 0; i++) {
    try {
      await s.send(commands.signHmac, { keyId: 5, data: unhex('00') });
      signed++;
    } catch (e) {
      code = (e as { deviceCode: number }).deviceCode;
    }
  }
  assert.equal(code, E.LOG_FULL);
  assert.equal(signed, 62 - 3, 'reset, boot and the SetOption entry took 3 of the 62 slots');
  assert.equal((await d.handle(unhex('060000')))[11], 62, 'device info: log used = 62');
  // Session set-up still works, counted as unlogged authentications.
  const other = await openSession(d);
  const logs = await other.send(commands.getLogEntries, undefined);
  assert.equal(logs.unloggedAuthentications, 2);
  assert.equal(logs.entries.length, 62);
  await other.send(commands.setLogIndex, logs.entries[61].number);
  assert.equal((await other.send(commands.signHmac, { keyId: 5, data: unhex('00') })).length, 32);
  const after = await other.send(commands.getLogEntries, undefined);
  assert.deepEqual(verifyLogChain(after.entries.map(encodeLogEntry), encodeLogEntry(logs.entries[61])), { ok: true, verified: after.entries.length });
  assert.equal(await other.errorOf(commands.setLogIndex, 0x7777), E.INVALID_DATA);
});

test('force-audit 2 is fixed until reset; a reset restores the factory log, options and objects and closes sessions', async () => {
  let seedCalls = 0;
  const d = newDevice({ random: (n) => { seedCalls++; return new Uint8Array(n).fill(seedCalls); } });
  const s = await openSession(d);
  await s.send(commands.setOption, { option: 0x01, forceAudit: 2 });
  assert.equal(await s.errorOf(commands.setOption, { option: 0x01, forceAudit: 0 }), E.INVALID_DATA);
  await s.send(commands.generateAsymmetricKey, { id: 7, label: 'k', domains: 1, capabilities: 0n, algorithm: 12 });
  const before = d.state.contents.log.entries.at(-1)!;
  assert.equal(hex(await s.raw(unhex('080000'))), '880000');
  assert.equal(d.sessionCount, 0);
  const t = await openSession(d);
  assert.deepEqual(await t.send(commands.getOption, 0x01), Uint8Array.of(0));
  assert.deepEqual(await t.send(commands.listObjects, {}), [{ id: 1, type: 2, sequence: 0 }]);
  const logs = (await t.send(commands.getLogEntries, undefined)).entries.map(encodeLogEntry);
  assert.equal(logs.length, 2);
  assert.equal(hex(logs[0].subarray(0, 16)), '0001' + 'ff'.repeat(14));
  assert.notEqual(hex(logs[0].subarray(16)), hex(before.subarray(16)));
  assert.equal(verifyLogChain(logs).ok, true);
});

test('algorithm toggle: only on a fresh device; a disabled algorithm is ALGORITHM_DISABLED', async () => {
  const d = newDevice();
  const s = await openSession(d);
  await s.send(commands.setOption, { option: 0x04, algorithms: [{ algorithm: 12, enabled: false }, { algorithm: 43, enabled: false }] });
  const toggles = await s.send(commands.getOption, 0x04);
  assert.equal(toggles.length, 110);
  assert.equal(hex(toggles.subarray(22, 24)), '0c00');
  assert.equal(hex(toggles.subarray(84, 86)), '2b00');
  assert.equal(await s.errorOf(commands.generateAsymmetricKey, { id: 2, label: 'k', domains: 1, capabilities: 0n, algorithm: 12 }), E.ALGORITHM_DISABLED);
  await s.send(commands.generateAsymmetricKey, { id: 2, label: 'k', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 13 });
  assert.equal(await s.errorOf(commands.signEcdsa, { keyId: 2, digest: DIGEST }), E.ALGORITHM_DISABLED, 'ecdsa-sha256 is off');
  assert.equal((await s.send(commands.signEcdsa, { keyId: 2, digest: new Uint8Array(48).fill(1) }))[0], 0x30);
  assert.equal(await s.errorOf(commands.setOption, { option: 0x04, algorithms: [{ algorithm: 12, enabled: true }] }), E.INVALID_DATA, 'no longer fresh');
  assert.equal(await s.errorOf(commands.getOption, 0x05), E.INVALID_DATA, 'not a FIPS device');
});
