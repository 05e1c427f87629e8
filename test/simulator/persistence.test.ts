/** The optional state file: a restarted device keeps its keys; mode 0600; atomic replace; sessions never persisted. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyLogChain } from '../../src/crypto/log-chain.js';
import { UsageError } from '../../src/errors.js';
import { capabilities as caps } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { loadStateFile, saveStateFile } from '../../src/simulator/persistence.js';
import { hex, newDevice, openSession, withTempDir } from './helpers.js';

test('a restarted device keeps its keys, serial, device key and audit chain; the file is 0600 and nothing else is left', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'device.json');
    const d1 = newDevice({ serial: 7550317, commandAuditDefault: 1, onStateChange: (s) => saveStateFile(path, s) });
    const s1 = await openSession(d1);
    await s1.send(commands.generateAsymmetricKey, { id: 0x100, label: 'keep me', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 12 });
    const pub1 = await s1.send(commands.getPublicKey, { keyId: 0x100 });
    const devicePub1 = d1.state.identity.authPublicKey;
    let lastEntry = d1.state.contents.log.entries.at(-1)!;
    await d1.flush();

    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['device.json'], 'no temporary file is left behind');
    // Atomic replace: a change writes a new file and renames it over the old one (a new inode), never in place.
    const inode = statSync(path).ino;
    await s1.send(commands.putOpaque, { id: 0x200, label: 'o', domains: 1, capabilities: 0n, algorithm: 30, data: Uint8Array.of(1) });
    await d1.flush();
    assert.notEqual(statSync(path).ino, inode);
    assert.deepEqual(readdirSync(dir), ['device.json']);
    lastEntry = d1.state.contents.log.entries.at(-1)!;

    const state = loadStateFile(path);
    assert.ok(state);
    const d2 = newDevice({ state, onStateChange: (s) => saveStateFile(path, s) });
    assert.equal(d2.serial, 7550317);
    assert.equal(hex(d2.state.identity.authPublicKey), hex(devicePub1));
    // The old session is gone: sessions are never persisted.
    const stale = s1.channel.wrapCommand(Uint8Array.of(0x01, 0x00, 0x01, 0xaa));
    assert.equal(hex(await d2.handle(stale)), '7f000103');
    const s2 = await openSession(d2);
    const pub2 = await s2.send(commands.getPublicKey, { keyId: 0x100 });
    assert.equal(hex(pub2.publicKey), hex(pub1.publicKey));
    const info = await s2.send(commands.getObjectInfo, { id: 0x100, type: 3 });
    assert.equal(Buffer.from(info.label).toString('utf8').replace(/\0+$/, ''), 'keep me');
    // The log continues the chain across the restart, with a boot marker.
    const logs = d2.state.contents.log.entries;
    const i = logs.findIndex((e) => hex(e) === hex(lastEntry));
    assert.ok(i >= 0);
    assert.equal(hex(logs[i + 1].subarray(2, 16)), '00' + '0000' + 'ffff' + '0000' + '0000' + '00' + '00000000');
    assert.deepEqual(verifyLogChain(logs.slice(i + 1), lastEntry).ok, true);
    await d2.flush();
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });
});

test('a damaged or foreign state file is refused with SIM_STATE_INVALID; a missing one means a new device', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'state.json');
    assert.equal(loadStateFile(path), undefined);
    writeFileSync(path, '{"format":"something-else"}');
    assert.throws(() => loadStateFile(path), (e: unknown) => e instanceof UsageError && e.code === 'SIM_STATE_INVALID' && /format/.test(e.message));
    const d = newDevice({ onStateChange: (s) => saveStateFile(path, s) });
    await d.flush();
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, good.replace(/"authPrivateKey": "[0-9a-f]+"/, '"authPrivateKey": "abc"'));
    assert.throws(() => loadStateFile(path), (e: unknown) => e instanceof UsageError && e.code === 'SIM_STATE_INVALID' && /authPrivateKey/.test(e.message));
    writeFileSync(path, good.slice(0, 100));
    assert.throws(() => loadStateFile(path), { code: 'SIM_STATE_INVALID' });
  });
});

test('the state file never contains session keys; its notice says it is not an HSM', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'state.json');
    const d = newDevice({ onStateChange: (s) => saveStateFile(path, s) });
    await openSession(d);
    await d.flush();
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(Object.keys(doc).sort(), ['format', 'identity', 'log', 'notice', 'objects', 'options', 'sequences', 'version']);
    assert.match(doc.notice, /not an HSM/);
  });
});
