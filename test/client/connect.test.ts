/**
 * YubiHsm.connect (PROTOCOL.md 8 client rule 1, 1.2): the frame limit follows the firmware from GetDeviceInfo,
 * page 1 is read only from 2.4; bad options, unreachable connectors, missing USB devices and device refusals are
 * typed errors; a closed connection refuses frames.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { HsmDeviceError, YubiHsm } from '../../src/client/index.js';
import { TransportError } from '../../src/errors.js';
import type { Transport } from '../../src/transport/transport.js';
import { h, toHex } from '../protocol/helpers.js';

/** A device that only answers GetDeviceInfo, with the given page-0 payload, and records what it was sent. */
function infoOnly(page0Hex: string): Transport & { seen: string[] } {
  const seen: string[] = [];
  return {
    description: 'GetDeviceInfo-only fake',
    seen,
    async send(frame) {
      seen.push(toHex(frame));
      if (toHex(frame) === '060000') {
        const p = h(page0Hex);
        return Uint8Array.from([0x86, p.length >> 8, p.length & 0xff, ...p]);
      }
      return h('7f000101');
    },
    async close() {},
  };
}

test('firmware 2.3.1: 2047-byte frames, no page 1 request', async () => {
  const t = infoOnly('020301' + '00bc614e' + '3e00' + '0102030c');
  const hsm = await YubiHsm.connect({ transport: t });
  assert.equal(hsm.maxFrame, 2047);
  assert.equal(hsm.partNumber, undefined);
  assert.deepEqual(t.seen, ['060000']);
  assert.equal(hsm.supports(2, 3, 1), true);
  assert.equal(hsm.supports(2, 4), false);
  await assert.rejects(hsm.echo(new Uint8Array(2045)), { code: 'HSM_FRAME_TOO_LARGE', message: /exceeds the device limit of 2047 bytes \(firmware 2\.3\.1\)/ });
  await hsm.close();
  await assert.rejects(hsm.echo(Uint8Array.of(1)), { code: 'HSM_CLOSED' });
});

test('a device refusing GetDeviceInfo is a device error, and the transport is closed', async () => {
  let closed = false;
  const t: Transport = { description: 'refuses', send: async () => h('7f000101'), close: async () => void (closed = true) };
  await assert.rejects(YubiHsm.connect({ transport: t }), (e: unknown) => {
    assert.ok(e instanceof HsmDeviceError);
    assert.equal(e.code, 'HSM_INVALID_COMMAND');
    assert.match(e.message, /^GetDeviceInfo failed with INVALID_COMMAND: /);
    return true;
  });
  assert.equal(closed, true);
});

test('an answer with another response code is a protocol error', async () => {
  const t: Transport = { description: 'odd', send: async () => h('810000'), close: async () => undefined };
  await assert.rejects(YubiHsm.connect({ transport: t }), { code: 'HSM_UNEXPECTED_RESPONSE', message: /answered GetDeviceInfo with response code 0x81, expected 0x86/ });
});

test('bad options and unreachable targets are typed errors', async () => {
  await assert.rejects(YubiHsm.connect({ connector: 'http://127.0.0.1:1', connections: 0 }), { code: 'HSM_BAD_OPTION', message: /connections must be an integer from 1 to 16/ });
  await assert.rejects(YubiHsm.connect({ connector: 'ftp://x' }), { code: 'CONNECTOR_BAD_URL' });
  await assert.rejects(YubiHsm.connect({ connector: 'http://127.0.0.1:1', connectTimeoutMs: 2000 }), (e: unknown) => {
    assert.ok(e instanceof TransportError);
    assert.equal(e.code, 'CONNECTOR_UNREACHABLE');
    assert.match(e.message, /start yubihsm-connector or run `hsm2kms hsm serve`/);
    return true;
  });
  // No YubiHSM 2 is attached here: whatever the USB stack says, it is a TransportError with a USB_ code.
  await assert.rejects(YubiHsm.connect({ usb: true }), (e: unknown) => e instanceof TransportError && /^USB_/.test(e.code));
  await assert.rejects(YubiHsm.connect({ transport: [] }), { code: 'HSM_BAD_OPTION' });
});
