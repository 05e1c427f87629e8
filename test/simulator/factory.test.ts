import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyLogChain } from '../../src/crypto/log-chain.js';
import { commands } from '../../src/protocol/commands/index.js';
import { hex, newDevice, openSession, plain, unhex } from './helpers.js';

test('plain GetDeviceInfo pages 0 and 1 are byte-exact with vectors.json plain_device_info', async () => {
  const d = newDevice({ serial: 12345678 });
  // fw 2.4.0, serial 0x00bc614e, log 62 total / 2 used (reset + boot markers), algorithms 1..55.
  const page0 =
    '86004002040000bc614e3e02' +
    '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637';
  assert.equal(hex(await plain(d, 0x06)), page0);
  assert.equal(hex(await plain(d, 0x06, Uint8Array.of(1))), '86000c53494d554c415445442d504e');
});

test('factory default authentication key reads exactly as PROTOCOL.md 4.7', async () => {
  const d = newDevice();
  const s = await openSession(d);
  const info = await s.raw(unhex('4e0003 0001 02'));
  assert.equal(
    hex(info),
    'ce0042' +
      'ffffffffffffffff' + // capabilities: all 64 bits, as a reset device reports
      '0001' + '0028' + 'ffff' + '02' + '26' + '00' + '02' + // id 1, length 40, all domains, auth key, alg 38, seq 0, imported
      Buffer.from('DEFAULT AUTHKEY CHANGE THIS ASAP').toString('hex') + '00'.repeat(8) +
      'ffffffffffffffff', // delegated == capabilities
  );
  const list = await s.send(commands.listObjects, {});
  assert.deepEqual(list, [{ id: 1, type: 2, sequence: 0 }]);
});

test('a fresh device logs the reset marker then the boot marker, chained', async () => {
  const d = newDevice();
  const s = await openSession(d);
  const logs = await s.send(commands.getLogEntries, undefined);
  assert.equal(logs.unloggedBoots, 0);
  assert.equal(logs.unloggedAuthentications, 0);
  assert.equal(logs.entries.length, 2);
  const raw = d.state.contents.log.entries;
  assert.equal(hex(raw[0].subarray(0, 16)), '0001' + 'ff'.repeat(14));
  assert.equal(hex(raw[1].subarray(0, 16)), '0002' + '00' + '0000' + 'ffff' + '0000' + '0000' + '00' + '00000000');
  assert.deepEqual(verifyLogChain(raw), { ok: true, verified: 1 });
});

test('GetStorageInfo on a fresh device: 256 records, 1024 pages of 126 bytes, one object used', async () => {
  const s = await openSession(newDevice());
  assert.deepEqual(await s.send(commands.getStorageInfo, undefined), {
    totalRecords: 256, freeRecords: 255, totalPages: 1024, freePages: 1023, pageSize: 126,
  });
});
