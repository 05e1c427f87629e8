import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTransport } from '../../src/transport/open.js';
import { HttpConnectorTransport } from '../../src/transport/http-connector.js';
import { startConnectorServer } from '../../src/simulator/connector-server.js';
import { UsageError, TransportError } from '../../src/errors.js';
import { echoHandler } from './helpers.js';

test('http URLs open a checked connector transport', async () => {
  const server = await startConnectorServer({ handler: echoHandler, port: 0 });
  try {
    const t = await openTransport(server.url, { http: { requestTimeoutMs: 5000 } });
    assert.ok(t instanceof HttpConnectorTransport);
    assert.equal(Buffer.from(await t.send(Uint8Array.of(1, 0, 0))).toString('hex'), '810000');
    await t.close();
  } finally {
    await server.close();
  }
});

test('yhusb URLs go to USB; other schemes are refused', async () => {
  await assert.rejects(openTransport('yhusb://serial=1'), (e: unknown) => e instanceof TransportError && e.code.startsWith('USB_'));
  await assert.rejects(openTransport('yhusb://serial=zz'), { code: 'USB_BAD_URL' });
  await assert.rejects(openTransport('ftp://x'), (e: unknown) => {
    return (
      e instanceof UsageError &&
      e.code === 'TRANSPORT_BAD_URL' &&
      e.message === 'Device URL "ftp://x" is not supported; use http://127.0.0.1:12345 (yubihsm-connector or `hsm2kms hsm serve`) or yhusb:// (direct USB).'
    );
  });
});
