import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type net from 'node:net';
import { HttpConnectorTransport } from '../../src/transport/http-connector.js';
import { TransportError } from '../../src/errors.js';

/** A self-signed certificate for localhost/127.0.0.1 made with openssl (not with our code). */
function makeCert(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsm2kms-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ], { stdio: 'ignore' });
    return { key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('https connectors: the CA option verifies the server; without it the error is CONNECTOR_TLS', async () => {
  const { key, cert } = makeCert();
  // A minimal TLS front-end in the connector's shape (as with `cert`/`key` in yubihsm-connector's config).
  const server = https.createServer({ key, cert }, (req, res) => {
    if (req.url === '/connector/status') {
      res.end('status=OK\nserial=*\nversion=3.0.4\npid=1\naddress=localhost\nport=1\n');
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const f = Buffer.concat(parts);
      f[0] |= 0x80;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(f);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  try {
    for (const host of ['127.0.0.1', 'localhost']) {
      const t = await HttpConnectorTransport.connect({ url: `https://${host}:${port}`, ca: cert });
      assert.equal(Buffer.from(await t.send(Uint8Array.from(Buffer.from('010002beef', 'hex')))).toString('hex'), '810002beef');
      assert.equal(t.status?.version, '3.0.4');
      await t.close();
    }
    await assert.rejects(HttpConnectorTransport.connect({ url: `https://127.0.0.1:${port}` }), (e: unknown) => {
      assert.ok(e instanceof TransportError);
      assert.equal(e.code, 'CONNECTOR_TLS');
      assert.match(e.message, new RegExp(`^TLS with https://127\\.0\\.0\\.1:${port} failed \\(DEPTH_ZERO_SELF_SIGNED_CERT\\); pass the CA certificate`));
      return true;
    });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
