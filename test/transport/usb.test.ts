import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  UsbTimeout,
  UsbTransport,
  decodeBcdFirmware,
  parseUsbUrl,
  type UsbBackend,
} from '../../src/transport/usb.js';
import { loadNodeUsbBackend } from '../../src/transport/usb-node.js';
import { TransportError, UsageError } from '../../src/errors.js';
import { FakeYubiHsm, backendOf } from './fake-usb.js';
import { frameOf } from './helpers.js';

test('a zero-length packet follows frames whose length is a multiple of 64 (63/64/65/128/3136 bytes)', async () => {
  const dev = new FakeYubiHsm({ serialNumber: '0013200583' });
  const t = await UsbTransport.open({ backend: backendOf(dev) });
  const cases: Array<[number, number[]]> = [
    [63, [63]],
    [64, [64, 0]],
    [65, [65]],
    [128, [128, 0]],
    [3136, [3136, 0]],
    [3, [3]],
  ];
  for (const [size, transfers] of cases) {
    dev.outTransfers.length = 0;
    const f = frameOf(0x01, size - 3);
    const answer = await t.send(f);
    assert.deepEqual(dev.outTransfers, transfers, `${size}-byte frame`);
    assert.equal(answer.length, size);
    assert.equal(answer[0], 0x81);
    assert.deepEqual(answer.subarray(1), f.subarray(1));
  }
  // Without the ZLP the fake device would never see the end of the 64-byte message; it saw every one whole.
  assert.deepEqual(dev.messages.map((m) => m.length / 2), [63, 64, 65, 128, 3136, 3]);
  await t.close();
});

test('a multi-packet answer arrives in one IN transfer into a buffer of at least 3139 bytes', async () => {
  const answers: Record<number, Uint8Array> = {
    200: frameOf(0x86, 197),
    128: frameOf(0x86, 125),
    3139: frameOf(0x86, 3136),
  };
  let next = 200;
  const dev = new FakeYubiHsm({ respond: () => answers[next] });
  const t = await UsbTransport.open({ backend: backendOf(dev) });
  for (const size of [200, 128, 3139]) {
    next = size;
    dev.inRequests.length = 0;
    const got = await t.send(Uint8Array.of(0x06, 0x00, 0x00));
    assert.deepEqual(got, answers[size]);
    assert.equal(dev.inRequests.length, 1, `${size}: one IN transfer`);
    assert.ok(dev.inRequests[0].maxLength >= 3139);
  }
  assert.equal(dev.pendingInPackets, 0, 'the device ZLP after the 128-byte answer was consumed with it');
  await t.close();
});

test('an answer split over two IN transfers is joined using its length field', async () => {
  const dev = new FakeYubiHsm({ splitAnswers: true });
  const t = await UsbTransport.open({ backend: backendOf(dev) });
  const f = frameOf(0x01, 100);
  const got = await t.send(f);
  assert.equal(got.length, 103);
  assert.equal(got[0], 0x81);
  assert.deepEqual(got.subarray(1), f.subarray(1));
  await t.close();
});

test('stale data is drained on open with a short read', async () => {
  const stale = [new Uint8Array(64).fill(0xee), Uint8Array.of(0x81, 0x00, 0x00)];
  const dev = new FakeYubiHsm({ stalePackets: stale });
  const t = await UsbTransport.open({ backend: backendOf(dev) });
  assert.equal(dev.pendingInPackets, 0);
  assert.deepEqual(dev.inRequests[0], { maxLength: 8192, timeoutMs: 10 });
  assert.equal(Buffer.from(await t.send(Uint8Array.from(Buffer.from('010002abcd', 'hex')))).toString('hex'), '810002abcd');
  await t.close();
});

test('the device is picked by serial; firmware comes from bcdDevice', async () => {
  const a = new FakeYubiHsm({ serialNumber: '0013200583', bcdDevice: 0x0240 });
  const b = new FakeYubiHsm({ serialNumber: '0000000007', bcdDevice: 0x0233 });
  const c = new FakeYubiHsm({ serialNumber: undefined });
  const backend = backendOf(c, a, b);
  const t7 = await UsbTransport.open({ backend, url: 'yhusb://serial=7' });
  assert.equal(t7.serial, 7);
  assert.deepEqual(t7.firmware, { major: 2, minor: 3, patch: 3 });
  assert.equal(t7.description, 'YubiHSM 2 over USB (serial 7)');
  assert.equal(b.opens, 1);
  assert.equal(a.opens, 0);
  const ta = await UsbTransport.open({ backend, serial: 13200583 });
  assert.deepEqual(ta.firmware, { major: 2, minor: 4, patch: 0 });
  assert.equal(a.opens, 1);
  const first = await UsbTransport.open({ backend, url: 'yhusb://' });
  assert.equal(first.serial, undefined, 'no serial wanted: the first device on the bus');
  assert.equal(c.opens, 1);
  await Promise.all([t7.close(), ta.close(), first.close()]);
  assert.equal(a.closes + b.closes + c.closes, 3);
});

test('no device, wrong serial, open failure and listing failure are typed errors', async () => {
  await assert.rejects(UsbTransport.open({ backend: backendOf() }), (e: unknown) => {
    assert.ok(e instanceof TransportError);
    assert.equal(e.code, 'USB_NO_DEVICE');
    assert.equal(e.message, "No YubiHSM 2 (USB 1050:0030) is attached; plug it in (on Linux, install Yubico's udev rule for access), or use yubihsm-connector.");
    return true;
  });
  const backend = backendOf(new FakeYubiHsm({ serialNumber: '0000000011' }), new FakeYubiHsm({ serialNumber: 'garbage' }));
  await assert.rejects(UsbTransport.open({ backend, url: 'yhusb://serial=99' }), {
    code: 'USB_SERIAL_NOT_FOUND',
    message: 'No attached YubiHSM 2 has serial 99 (found: 11, unreadable); pick one of those serials or plug in the right device.',
  });
  await assert.rejects(UsbTransport.open({ backend: backendOf(new FakeYubiHsm({ openError: 'LIBUSB_ERROR_BUSY' })) }), (e: unknown) => {
    assert.ok(e instanceof TransportError);
    assert.equal(e.code, 'USB_OPEN_FAILED');
    assert.match(e.message, /^Cannot open the YubiHSM 2 \(LIBUSB_ERROR_BUSY\); stop yubihsm-connector or any other program using it/);
    return true;
  });
  const broken: UsbBackend = {
    async listYubiHsms() {
      throw new Error('getDevices error: /sys/bus/usb/devices/ not found');
    },
  };
  await assert.rejects(UsbTransport.open({ backend: broken }), {
    code: 'USB_ENUMERATION_FAILED',
    message:
      'Cannot list USB devices (getDevices error: /sys/bus/usb/devices/ not found); run on a machine with USB access, or use yubihsm-connector (http://127.0.0.1:12345).',
  });
});

test('a failed write reopens the device and retries once; a timed-out read is USB_TIMEOUT', async () => {
  const dev = new FakeYubiHsm({ failWrites: 1, serialNumber: '5' });
  const backend = backendOf(dev);
  const t = await UsbTransport.open({ backend });
  assert.equal(Buffer.from(await t.send(Uint8Array.from(Buffer.from('010000', 'hex')))).toString('hex'), '810000');
  assert.equal(dev.opens, 2);
  assert.equal(dev.closes, 1);
  assert.equal(backend.lists, 2, 'the device is found again by its serial');

  const mute = new FakeYubiHsm({ respond: () => new Uint8Array(0) });
  const t2 = await UsbTransport.open({ backend: backendOf(mute), timeoutMs: 2000 });
  await assert.rejects(t2.send(Uint8Array.from(Buffer.from('010000', 'hex'))), {
    code: 'USB_TIMEOUT',
    message:
      'USB read to YubiHSM 2 over USB timed out after 2 s; the device may still be busy (RSA key generation takes minutes): raise the timeout, then reopen the session.',
  });
  const twice = new FakeYubiHsm({ failWrites: 2 });
  const t3 = await UsbTransport.open({ backend: backendOf(twice) });
  await assert.rejects(t3.send(Uint8Array.from(Buffer.from('010000', 'hex'))), (e: unknown) => {
    assert.ok(e instanceof TransportError);
    assert.equal(e.code, 'USB_IO');
    assert.match(e.message, /^USB write to YubiHSM 2 over USB failed \(LIBUSB_ERROR_PIPE\); check the cable/);
    return true;
  });
  await Promise.all([t.close(), t2.close(), t3.close()]);
  await assert.rejects(t.send(Uint8Array.of(1, 0, 0)), { code: 'TRANSPORT_CLOSED' });
});

test('close() during a read fails that send with TRANSPORT_CLOSED', async () => {
  let reading!: () => void;
  const readStarted = new Promise<void>((r) => (reading = r));
  let closedDevice!: (e: Error) => void;
  const backend: UsbBackend = {
    async listYubiHsms() {
      return [
        {
          info: { serialNumber: '1', bcdDevice: 0x0240 },
          async open() {
            let drained = false;
            return {
              async transferOut(data: Uint8Array) {
                return data.length;
              },
              transferIn(): Promise<Uint8Array> {
                if (!drained) {
                  drained = true;
                  return Promise.reject(new UsbTimeout());
                }
                reading();
                return new Promise((_, reject) => (closedDevice = reject));
              },
              async close() {
                closedDevice?.(new Error('LIBUSB_ERROR_NO_DEVICE'));
              },
            };
          },
        },
      ];
    },
  };
  const t = await UsbTransport.open({ backend });
  const pending = t.send(Uint8Array.of(1, 0, 0));
  await readStarted;
  await t.close();
  await assert.rejects(pending, { code: 'TRANSPORT_CLOSED' });
});

test('yhusb:// URLs (the cases of libyubihsm lib/tests/test_usb_url.c)', () => {
  assert.deepEqual(parseUsbUrl('yhusb://serial=12345'), { serial: 12345 });
  assert.deepEqual(parseUsbUrl('yhusb://'), { serial: undefined });
  assert.deepEqual(parseUsbUrl('yhusb://foo=bar&serial=1000000'), { serial: 1000000 });
  assert.deepEqual(parseUsbUrl('yhusb://serial=0001234'), { serial: 1234 });
  for (const bad of ['', 'yhusb://serial=0x1234', 'yhusb://serial=FF', 'yhusb://serial=1234foo', 'yhusb://serial=', 'http://x']) {
    assert.throws(() => parseUsbUrl(bad), (e: unknown) => e instanceof UsageError && e.code === 'USB_BAD_URL', bad);
  }
});

test('bcdDevice nibbles are major/minor/patch', () => {
  assert.deepEqual(decodeBcdFirmware(0x0240), { major: 2, minor: 4, patch: 0 });
  assert.deepEqual(decodeBcdFirmware(0x0213), { major: 2, minor: 1, patch: 3 });
  assert.deepEqual(decodeBcdFirmware(0x1234), { major: 2, minor: 3, patch: 4 });
});

test('without the usb package (or with an incompatible one) USB is USB_UNAVAILABLE', async () => {
  const missing = async (): Promise<unknown> => {
    throw Object.assign(new Error("Cannot find package 'usb'"), { code: 'ERR_MODULE_NOT_FOUND' });
  };
  await assert.rejects(loadNodeUsbBackend(missing), {
    code: 'USB_UNAVAILABLE',
    message:
      'Direct USB needs the optional `usb` package, which is not installed or does not load on this platform; install it (npm install usb) or use yubihsm-connector (http://127.0.0.1:12345).',
  });
  await assert.rejects(loadNodeUsbBackend(async () => ({ getDeviceList: () => [] })), { code: 'USB_UNAVAILABLE' });
});

test('the usb-package adapter uses configuration 1, interface 0, WebUSB endpoint 1 and maps cancellation to a timeout', async () => {
  const calls: string[] = [];
  const device = {
    vendorId: 0x1050,
    productId: 0x0030,
    deviceVersionMajor: 0x02,
    deviceVersionMinor: 0x4,
    deviceVersionSubminor: 0x1,
    serialNumber: '0013200583',
    configuration: { configurationValue: 0 },
    open: async () => void calls.push('open'),
    close: async () => void calls.push('close'),
    selectConfiguration: async (v: number) => void calls.push(`config ${v}`),
    claimInterface: async (n: number) => void calls.push(`claim ${n}`),
    releaseInterface: async (n: number) => void calls.push(`release ${n}`),
    transferOut: async (ep: number, data: Uint8Array, timeout: number) => {
      calls.push(`out ep${ep} ${data.length} ${timeout}`);
      return { bytesWritten: data.length, status: 'ok' };
    },
    transferIn: async (ep: number, length: number, timeout: number) => {
      calls.push(`in ep${ep} ${length} ${timeout}`);
      if (timeout === 10) throw new Error('transferIn error: Cancelled');
      const bytes = Uint8Array.from(Buffer.from('810000', 'hex'));
      return { data: new DataView(bytes.buffer), status: 'ok' };
    },
  };
  const other = { ...device, productId: 0x0010 };
  const backend = await loadNodeUsbBackend(async () => ({ usb: { getDevices: async () => [other, device] } }));
  const list = await backend.listYubiHsms();
  assert.equal(list.length, 1);
  assert.deepEqual(list[0].info, { serialNumber: '0013200583', bcdDevice: 0x0241 });
  const t = await UsbTransport.open({ backend, timeoutMs: 1234 });
  assert.equal(Buffer.from(await t.send(frameOf(0x01, 61))).toString('hex'), '810000');
  await t.close();
  assert.deepEqual(calls, [
    'open',
    'config 1',
    'claim 0',
    'in ep1 8192 10',
    'out ep1 64 1234',
    'out ep1 0 1234',
    'in ep1 8192 1234',
    'release 0',
    'close',
  ]);
  const endpoints = await list[0].open();
  await assert.rejects(endpoints.transferIn(8192, 10), (e: unknown) => e instanceof UsbTimeout);
});

test('the real usb package on this machine gives a typed error or a device, never a crash', async () => {
  try {
    const t = await UsbTransport.open({ timeoutMs: 1000 });
    await t.close(); // a YubiHSM 2 is attached
  } catch (e) {
    assert.ok(e instanceof TransportError, String(e));
    assert.ok(['USB_UNAVAILABLE', 'USB_ENUMERATION_FAILED', 'USB_NO_DEVICE', 'USB_OPEN_FAILED'].includes(e.code), e.code);
  }
});
