import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startConnectorServer } from '../../src/simulator/connector-server.js';
import { HttpConnectorTransport, parseConnectorUrl } from '../../src/transport/http-connector.js';
import { TransportError, UsageError } from '../../src/errors.js';
import { ConnectorHttpError } from '../../src/transport/errors.js';
import { closedPort, echoHandler, expectedEcho, frameOf, rawServer } from './helpers.js';

test('frames of many sizes round-trip byte for byte over loopback HTTP, up to 3139 bytes', async () => {
  const server = await startConnectorServer({ handler: echoHandler, port: 0 });
  const t = await HttpConnectorTransport.connect({ url: server.url });
  try {
    for (const payload of [0, 1, 2, 60, 61, 125, 1000, 2045, 2048, 3133, 3136]) {
      const f = frameOf(0x01, payload);
      const answer = await t.send(f);
      assert.deepEqual(answer, expectedEcho(f), `payload ${payload}`);
    }
  } finally {
    await t.close();
    await server.close();
  }
});

test('the answer is a plain Uint8Array with the exact echoed bytes (hex literal)', async () => {
  const server = await startConnectorServer({ handler: echoHandler, port: 0 });
  const t = await HttpConnectorTransport.connect({ url: server.url });
  try {
    const answer = await t.send(Uint8Array.from(Buffer.from('010003aabbcc', 'hex')));
    assert.equal(Object.getPrototypeOf(answer), Uint8Array.prototype);
    assert.equal(Buffer.from(answer).toString('hex'), '810003aabbcc');
  } finally {
    await t.close();
    await server.close();
  }
});

test('connect parses the status page; version is parsed normally (PROTOCOL.md 10 #17)', async () => {
  const server = await startConnectorServer({ handler: echoHandler, port: 0, serial: '13200583' });
  const t = await HttpConnectorTransport.connect({ url: server.url });
  try {
    const s = t.status!;
    assert.equal(s.status, 'OK');
    assert.equal(s.serial, '0013200583');
    assert.equal(s.version, '3.0.7');
    assert.deepEqual(s.versionNumbers, { major: 3, minor: 0, patch: 7 });
    assert.equal(s.pid, process.pid);
    assert.equal(s.address, '127.0.0.1');
    assert.equal(s.port, server.port);
    assert.equal(t.description, `yubihsm-connector at ${server.url}`);
  } finally {
    await t.close();
    await server.close();
  }
});

test('http://localhost:<port> reaches a server on 127.0.0.1', async () => {
  const server = await startConnectorServer({ handler: echoHandler, port: 0 });
  const t = await HttpConnectorTransport.connect({ url: `http://localhost:${server.port}` });
  try {
    assert.equal(Buffer.from(await t.send(frameOf(0x01, 1, () => 0x42))).toString('hex'), '81000142');
  } finally {
    await t.close();
    await server.close();
  }
});

test('concurrent senders are serialised: the handler never sees two frames at once, answers match requests', async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  const handler = async (f: Uint8Array): Promise<Uint8Array> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setImmediate(r));
    inFlight--;
    return echoHandler(f);
  };
  const server = await startConnectorServer({ handler, port: 0 });
  const a = await HttpConnectorTransport.connect({ url: server.url });
  const b = await HttpConnectorTransport.connect({ url: server.url });
  try {
    const frames = Array.from({ length: 60 }, (_, i) => frameOf(0x01, 1 + (i % 7), (j) => (i + j) & 0xff));
    const answers = await Promise.all(frames.map((f, i) => (i % 2 ? a : b).send(f)));
    answers.forEach((ans, i) => assert.deepEqual(ans, expectedEcho(frames[i])));
    assert.equal(maxInFlight, 1);
  } finally {
    await a.close();
    await b.close();
    await server.close();
  }
});

test('one transport keeps one frame in flight even when its caller does not wait', async () => {
  const seen: number[] = [];
  const server = await rawServer((socket, data) => {
    // Count requests that arrive while an answer is still owed: a pipelining client would send two at once.
    const text = data.toString('latin1');
    seen.push((text.match(/POST \/connector\/api/g) ?? []).length);
    const body = Buffer.from('810000', 'hex');
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body);
  });
  const t = new HttpConnectorTransport({ url: `http://127.0.0.1:${server.port}` });
  try {
    await Promise.all(Array.from({ length: 20 }, () => t.send(frameOf(0x01, 0))));
    assert.equal(seen.length, 20);
    assert.ok(seen.every((n) => n === 1));
    assert.equal(server.connections, 1, 'one keep-alive connection');
  } finally {
    await t.close();
    await server.close();
  }
});

test('an unreachable connector is CONNECTOR_UNREACHABLE with what to do', async () => {
  const port = await closedPort();
  await assert.rejects(HttpConnectorTransport.connect({ url: `http://127.0.0.1:${port}` }), (e: unknown) => {
    assert.ok(e instanceof TransportError);
    assert.equal(e.code, 'CONNECTOR_UNREACHABLE');
    assert.match(e.message, new RegExp(`Cannot reach yubihsm-connector at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\); start yubihsm-connector or run \`hsm2kms hsm serve\``));
    return true;
  });
});

test('status=NO_DEVICE is CONNECTOR_NO_DEVICE; a page without status= is CONNECTOR_BAD_STATUS', async () => {
  const server = await rawServer((socket, data) => {
    const body = data.includes('/nodev/') ? 'status=NO_DEVICE\nserial=*\nversion=3.0.4\npid=1\naddress=localhost\nport=12345\n' : '<html>hello</html>';
    socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  });
  try {
    await assert.rejects(HttpConnectorTransport.connect({ url: `http://127.0.0.1:${server.port}/nodev/` }), (e: unknown) => {
      assert.ok(e instanceof TransportError);
      assert.equal(e.code, 'CONNECTOR_NO_DEVICE');
      assert.match(e.message, /reports status=NO_DEVICE: it reaches no YubiHSM 2; plug the device in/);
      return true;
    });
    await assert.rejects(HttpConnectorTransport.connect({ url: `http://127.0.0.1:${server.port}` }), {
      code: 'CONNECTOR_BAD_STATUS',
      message: `http://127.0.0.1:${server.port}/connector/status is not a yubihsm-connector status page; check the connector URL.`,
    });
  } finally {
    await server.close();
  }
});

test('HTTP errors map to CONNECTOR_HTTP_STATUS with the status and advice', async () => {
  const server = await rawServer((socket, data) => {
    const m = /POST \/s(\d{3})\//.exec(data.toString('latin1'));
    const status = m ? Number(m[1]) : 500;
    socket.write(`HTTP/1.1 ${status} X\r\nContent-Length: 2\r\n\r\nno`);
  });
  const cases: Array<[number, RegExp]> = [
    [400, /refused the 4-byte frame \(HTTP 400\); connectors accept 3 to 3139 bytes/],
    [403, /\(HTTP 403\): Host '127\.0\.0\.1:\d+' is not on its Host allow-list/],
    [404, /\/s404\/connector\/api is not a yubihsm-connector endpoint \(HTTP 404\); check the connector URL\./],
    [500, /could not exchange the frame with the device \(HTTP 500\); check that the YubiHSM 2 is plugged in/],
    [502, /answered HTTP 502; check the connector URL/],
  ];
  try {
    for (const [status, message] of cases) {
      const t = new HttpConnectorTransport({ url: `http://127.0.0.1:${server.port}/s${status}/` });
      await assert.rejects(t.send(frameOf(0x01, 1)), (e: unknown) => {
        assert.ok(e instanceof ConnectorHttpError);
        assert.equal(e.code, 'CONNECTOR_HTTP_STATUS');
        assert.equal(e.httpStatus, status);
        assert.match(e.message, message);
        return true;
      });
      await t.close();
    }
  } finally {
    await server.close();
  }
});

test('a status page answered with 400 (a server that is not a connector, e.g. a KMS endpoint) says so', async () => {
  const server = await rawServer((socket) => socket.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}'));
  try {
    await assert.rejects(HttpConnectorTransport.connect({ url: `http://127.0.0.1:${server.port}` }), (e: unknown) => {
      assert.ok(e instanceof ConnectorHttpError);
      assert.equal(e.httpStatus, 400);
      assert.equal(e.message, `http://127.0.0.1:${server.port}/connector/status is not a yubihsm-connector endpoint (HTTP 400); check the connector URL.`);
      return true;
    });
  } finally {
    await server.close();
  }
});

test('the real server refuses a 3140-byte frame with 400, which the client reports', async () => {
  const server = await startConnectorServer({ handler: echoHandler, port: 0 });
  const t = await HttpConnectorTransport.connect({ url: server.url });
  try {
    await assert.rejects(t.send(frameOf(0x01, 3137)), (e: unknown) => e instanceof ConnectorHttpError && e.httpStatus === 400);
    // The transport stays usable after the refusal.
    const f = frameOf(0x01, 5);
    assert.deepEqual(await t.send(f), expectedEcho(f));
  } finally {
    await t.close();
    await server.close();
  }
});

test('a handler failure is HTTP 500 and becomes CONNECTOR_HTTP_STATUS 500', async () => {
  const lines: string[] = [];
  const server = await startConnectorServer({
    handler: async () => {
      throw new Error('usb gone');
    },
    port: 0,
    log: (l) => lines.push(l),
  });
  const t = await HttpConnectorTransport.connect({ url: server.url });
  try {
    await assert.rejects(t.send(frameOf(0x01, 3)), (e: unknown) => e instanceof ConnectorHttpError && e.httpStatus === 500);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^connector: 500 frame handler failed \(Error: usb gone\) request [0-9a-f-]{36}$/);
  } finally {
    await t.close();
    await server.close();
  }
});

test('malformed answers and broken connections are typed errors', async () => {
  const server = await rawServer((socket, data) => {
    const path = /POST (\S+)/.exec(data.toString('latin1'))?.[1] ?? '';
    if (path.startsWith('/garbage/')) socket.end('SSH-2.0-OpenSSH\r\n\r\n');
    else if (path.startsWith('/cut/')) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n8100');
    else if (path.startsWith('/short/')) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n81');
    else if (path.startsWith('/mismatch/')) socket.write(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n\x81\x00\x05ab', 'latin1'));
    else if (path.startsWith('/huge/')) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 999999\r\n\r\n');
    // '/silent/' never answers
  });
  const expect = async (prefix: string, code: string, message: RegExp, timeout?: number): Promise<void> => {
    const t = new HttpConnectorTransport({ url: `http://127.0.0.1:${server.port}/${prefix}/`, requestTimeoutMs: timeout });
    await assert.rejects(t.send(frameOf(0x01, 1)), (e: unknown) => {
      assert.ok(e instanceof TransportError, String(e));
      assert.equal(e.code, code);
      assert.match(e.message, message);
      return true;
    });
    await t.close();
  };
  try {
    await expect('garbage', 'CONNECTOR_BAD_RESPONSE', /sent an answer that is not valid HTTP\/1\.1 \(not an HTTP\/1\.x status line\)/);
    await expect('cut', 'CONNECTOR_CONNECTION_LOST', /broke before a whole answer arrived \(connection closed by the server\); the command may or may not have run/);
    await expect('short', 'TRANSPORT_BAD_RESPONSE_FRAME', /answered 2 bytes, less than a frame header/);
    await expect('mismatch', 'TRANSPORT_BAD_RESPONSE_FRAME', /length field says 5 payload bytes but 2 arrived/);
    await expect('huge', 'CONNECTOR_BAD_RESPONSE', /sent an answer larger than any frame/);
    await expect('silent', 'CONNECTOR_TIMEOUT', /No answer from yubihsm-connector at .* within 0 s; the device may still be busy/, 50);
  } finally {
    await server.close();
  }
});

test('chunked and close-delimited answers (as Go servers send for bodies over 2 KiB) are read whole', async () => {
  const frame = frameOf(0x81, 3000);
  const body = Buffer.from(frame);
  const server = await rawServer((socket, data) => {
    const text = data.toString('latin1');
    if (!text.includes('\r\n\r\n')) return;
    if (text.includes('/chunked/')) {
      socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      socket.write(`7d0;ext=1\r\n`);
      socket.write(body.subarray(0, 2000));
      socket.write(`\r\n${(body.length - 2000).toString(16)}\r\n`);
      socket.write(Buffer.concat([body.subarray(2000), Buffer.from('\r\n0\r\nX-Trailer: 1\r\n\r\n')]));
    } else {
      socket.end(Buffer.concat([Buffer.from('HTTP/1.0 200 OK\r\n\r\n'), body]));
    }
  });
  try {
    for (const prefix of ['chunked', 'close']) {
      const t = new HttpConnectorTransport({ url: `http://127.0.0.1:${server.port}/${prefix}` });
      const answer = await t.send(frameOf(0x01, 0));
      assert.deepEqual(answer, frame, prefix);
      await t.close();
    }
  } finally {
    await server.close();
  }
});

test('a keep-alive connection closed by the server while idle is replaced transparently', async () => {
  const server = await rawServer((socket) => {
    socket.end(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n\x81\x00\x00', 'latin1'));
  });
  const t = new HttpConnectorTransport({ url: `http://127.0.0.1:${server.port}` });
  try {
    for (let i = 0; i < 3; i++) assert.equal(Buffer.from(await t.send(frameOf(0x01, 0))).toString('hex'), '810000');
    assert.equal(server.connections, 3);
  } finally {
    await t.close();
    await server.close();
  }
});

test('a request on a reused connection that the server drops unanswered is sent once more on a new one', async () => {
  const perConnection = new WeakMap<object, number>();
  let requests = 0;
  const server = await rawServer((socket) => {
    requests++;
    const n = (perConnection.get(socket) ?? 0) + 1;
    perConnection.set(socket, n);
    if (n === 1) socket.write(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n\x81\x00\x00', 'latin1'));
    else socket.destroy(); // the idle-close race: the request dies unanswered
  });
  const t = new HttpConnectorTransport({ url: `http://127.0.0.1:${server.port}` });
  try {
    assert.equal(Buffer.from(await t.send(frameOf(0x01, 0))).toString('hex'), '810000');
    assert.equal(Buffer.from(await t.send(frameOf(0x01, 0))).toString('hex'), '810000');
    assert.equal(server.connections, 2);
    assert.equal(requests, 3);
  } finally {
    await t.close();
    await server.close();
  }
});

test('send after close is TRANSPORT_CLOSED; bad frames are UsageError TRANSPORT_BAD_FRAME', async () => {
  const t = new HttpConnectorTransport({ url: 'http://127.0.0.1:1' });
  await assert.rejects(t.send(Uint8Array.of(1, 0)), (e: unknown) => e instanceof UsageError && e.code === 'TRANSPORT_BAD_FRAME');
  await assert.rejects(t.send(Uint8Array.of(1, 0, 2, 9)), {
    code: 'TRANSPORT_BAD_FRAME',
    message: "The command frame's length field says 2 payload bytes but it carries 1; build frames with encodeFrame().",
  });
  await t.close();
  await t.close();
  await assert.rejects(t.send(frameOf(1, 0)), {
    code: 'TRANSPORT_CLOSED',
    message: 'The transport to yubihsm-connector at http://127.0.0.1:1 is closed; open a new one before sending frames.',
  });
});

test('close() during a send fails that send with TRANSPORT_CLOSED at once', async () => {
  let arrived!: () => void;
  const requestArrived = new Promise<void>((r) => (arrived = r));
  const server = await rawServer(() => arrived()); // never answers
  const t = new HttpConnectorTransport({ url: `http://127.0.0.1:${server.port}` });
  try {
    const pending = t.send(frameOf(0x01, 0));
    await requestArrived;
    await t.close();
    await assert.rejects(pending, { code: 'TRANSPORT_CLOSED' });
  } finally {
    await server.close();
  }
});

test('connector URLs: defaults, base paths, IPv6, and refusals', () => {
  assert.deepEqual(parseConnectorUrl('http://127.0.0.1:12345'), {
    url: 'http://127.0.0.1:12345', secure: false, host: '127.0.0.1', port: 12345, hostHeader: '127.0.0.1:12345', basePath: '',
  });
  assert.deepEqual(parseConnectorUrl('https://hsm.example/proxy/hsm/connector/api'), {
    url: 'https://hsm.example/proxy/hsm', secure: true, host: 'hsm.example', port: 443, hostHeader: 'hsm.example', basePath: '/proxy/hsm',
  });
  assert.equal(parseConnectorUrl('http://[::1]:12345/').host, '::1');
  assert.equal(parseConnectorUrl('http://localhost:12345/').url, 'http://localhost:12345');
  for (const bad of ['ftp://x:1', 'http://u:p@h:1', 'http://h:1/?a=1', 'nonsense']) {
    assert.throws(() => parseConnectorUrl(bad), (e: unknown) => e instanceof UsageError && e.code === 'CONNECTOR_BAD_URL');
  }
  assert.throws(() => parseConnectorUrl('http://u:secretpw@h:1'), (e: unknown) => e instanceof Error && /use the form http:\/\/127\.0\.0\.1:12345/.test(e.message));
});
