import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { DEFAULT_HOST_ALLOWLIST, startConnectorServer, type ConnectorServerOptions } from '../../src/simulator/connector-server.js';
import { UsageError } from '../../src/errors.js';

// ---- helpers (independent of the code under test) ----

async function echo(frame: Uint8Array): Promise<Uint8Array> {
  const out = new Uint8Array(frame);
  out[0] |= 0x80;
  return out;
}

function frame(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  closed: boolean;
}

/** Sends raw bytes on a new TCP connection and reads one answer (Content-Length framed) and whether the server closed. */
function raw(port: number, request: Buffer | string, opts: { waitClose?: boolean; after?: (s: net.Socket) => void } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let answer: RawAnswer | undefined;
    let done = false;
    const finish = (closed: boolean): void => {
      if (done || !answer) return;
      if (opts.waitClose && !closed) return;
      done = true;
      answer.closed = closed;
      s.destroy();
      resolve(answer);
    };
    s.on('error', (e) => (answer ? finish(true) : reject(e)));
    s.on('close', () => (answer ? finish(true) : reject(new Error('closed without an answer'))));
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (answer) return;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      const isHead = Buffer.from(request).toString('latin1', 0, 5) === 'HEAD ';
      const len = isHead ? 0 : Number(headers['content-length'] ?? 0);
      if (buf.length < end + 4 + len) return;
      answer = { status: Number(lines[0].split(' ')[1]), headers, body: buf.subarray(end + 4, end + 4 + len), closed: false };
      finish(false);
    });
    s.on('connect', () => {
      s.write(request);
      opts.after?.(s);
    });
  });
}

function post(path: string, body: Buffer, extra = ''): Buffer {
  return Buffer.concat([
    Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n${extra}\r\n`, 'latin1'),
    body,
  ]);
}

async function withServer(opts: Partial<ConnectorServerOptions>, fn: (port: number, url: string) => Promise<void>): Promise<void> {
  const server = await startConnectorServer({ handler: echo, port: 0, ...opts });
  try {
    await fn(server.port, server.url);
  } finally {
    await server.close();
  }
}

function run(cmd: string, args: string[], input?: Buffer): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    p.on('error', reject);
    p.stdout.on('data', (d) => out.push(d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
    p.stdin.end(input ?? Buffer.alloc(0));
  });
}

// ---- tests ----

test('GET /connector/status: six lines in the connector order, text/plain', async () => {
  await withServer({}, async (port) => {
    const a = await raw(port, 'GET /connector/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.equal(a.status, 200);
    assert.equal(a.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(a.body.toString(), `status=OK\nserial=*\nversion=3.0.7\npid=${process.pid}\naddress=127.0.0.1\nport=${port}\n`);
    const q = await raw(port, 'GET /connector/status?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.equal(q.status, 200);
  });
});

test('a configured serial is shown zero-padded to 10 digits; bad serials are refused', async () => {
  await withServer({ serial: '13200583' }, async (port) => {
    const a = await raw(port, 'GET /connector/status HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(a.body.toString(), /^status=OK\nserial=0013200583\nversion=/);
  });
  await assert.rejects(startConnectorServer({ handler: echo, port: 0, serial: '12345678901' }), (e: unknown) => {
    return e instanceof UsageError && e.code === 'CONNECTOR_SERVER_BAD_OPTION' && e.message === 'Serial must be 1 to 10 decimal digits, got "12345678901".';
  });
});

test('POST /connector/api answers the frame with 200 application/octet-stream', async () => {
  await withServer({}, async (port) => {
    const a = await raw(port, post('/connector/api', frame('0100050102030405')));
    assert.equal(a.status, 200);
    assert.equal(a.headers['content-type'], 'application/octet-stream');
    assert.equal(a.body.toString('hex'), '8100050102030405');
  });
});

test('wrong methods are 405 with Allow; other paths are 404', async () => {
  await withServer({}, async (port) => {
    for (const [req, allow] of [
      ['POST /connector/status HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n', 'GET'],
      ['HEAD /connector/status HTTP/1.1\r\nHost: h\r\n\r\n', 'GET'],
      ['GET /connector/api HTTP/1.1\r\nHost: h\r\n\r\n', 'POST'],
      ['PUT /connector/api HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\n0100', 'POST'],
    ] as const) {
      const a = await raw(port, req);
      assert.equal(a.status, 405, req);
      assert.equal(a.headers['allow'], allow);
      if (!req.startsWith('HEAD')) assert.equal(a.body.toString(), 'Method Not Allowed\n');
    }
    for (const path of ['/', '/connector', '/connector/api/', '/connector/statusx', '/CONNECTOR/API']) {
      const a = await raw(port, `GET ${path} HTTP/1.1\r\nHost: h\r\n\r\n`);
      assert.equal(a.status, 404, path);
      assert.equal(a.body.toString(), '404 page not found\n');
    }
  });
});

test('body limits: 3 and 3139 bytes accepted; 0, 2 and 3140 bytes refused with 400 before the handler', async () => {
  const seen: string[] = [];
  const handler = async (f: Uint8Array): Promise<Uint8Array> => {
    seen.push(Buffer.from(f).toString('hex'));
    return echo(f);
  };
  await withServer({ handler }, async (port) => {
    const min = await raw(port, post('/connector/api', frame('010000')));
    assert.equal(min.status, 200);
    assert.equal(min.body.toString('hex'), '810000');

    const bigPayload = Buffer.alloc(3136, 0xab);
    const big = Buffer.concat([frame('010c40'), bigPayload]); // 3136 = 0x0c40, 3139 bytes in all
    const okBig = await raw(port, post('/connector/api', big));
    assert.equal(okBig.status, 200);
    assert.equal(okBig.body.length, 3139);
    assert.equal(okBig.body.subarray(0, 3).toString('hex'), '810c40');

    for (const body of [Buffer.alloc(0), frame('0100'), Buffer.concat([frame('010c41'), Buffer.alloc(3137)])]) {
      const a = await raw(port, post('/connector/api', body));
      assert.equal(a.status, 400, `${body.length} bytes`);
      assert.equal(a.body.toString(), 'Bad Request\n');
    }
    assert.deepEqual(seen.map((h) => h.length / 2), [3, 3139]);
  });
});

test('chunked bodies are accepted within the limit and refused beyond it', async () => {
  await withServer({}, async (port) => {
    const head = 'POST /connector/api HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n';
    const ok = await raw(port, `${head}2\r\n\x01\x00\r\n2\r\n\x01\x42\r\n0\r\n\r\n`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.toString('hex'), '810001' + '42');
    const chunk = Buffer.alloc(2000, 1);
    const tooBig = Buffer.concat([Buffer.from(`${head}7d0\r\n`), chunk, Buffer.from('\r\n7d0\r\n'), chunk, Buffer.from('\r\n0\r\n\r\n')]);
    const a = await raw(port, tooBig, { waitClose: true });
    assert.equal(a.status, 400);
    assert.equal(a.closed, true);
  });
});

test('X-Request-ID is echoed, or a UUID is made', async () => {
  await withServer({}, async (port) => {
    const a = await raw(port, post('/connector/api', frame('010000'), 'X-Request-ID: trace-42\r\n'));
    assert.equal(a.headers['x-request-id'], 'trace-42');
    const b = await raw(port, 'GET /connector/status HTTP/1.1\r\nHost: h\r\n\r\n');
    assert.match(b.headers['x-request-id'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const c = await raw(port, 'GET /nowhere HTTP/1.1\r\nHost: h\r\nX-Request-ID: r-404\r\n\r\n');
    assert.equal(c.headers['x-request-id'], 'r-404');
  });
});

test('the Host allow-list answers 403 to other hosts, and is off by default', async () => {
  await withServer({ allowedHosts: [...DEFAULT_HOST_ALLOWLIST] }, async (port) => {
    for (const host of ['localhost', 'localhost:12345', '127.0.0.1:1', '[::1]:12345', 'LOCALHOST']) {
      const a = await raw(port, `GET /connector/status HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      assert.equal(a.status, 200, host);
    }
    for (const host of ['evil.example', 'evil.example:12345', '127.0.0.2']) {
      const a = await raw(port, post('/connector/api', frame('010000'), '').toString('latin1').replace('Host: 127.0.0.1', `Host: ${host}`));
      assert.equal(a.status, 403, host);
      assert.equal(a.body.toString(), 'Forbidden\n');
    }
  });
  await withServer({}, async (port) => {
    const a = await raw(port, 'GET /connector/status HTTP/1.1\r\nHost: evil.example\r\n\r\n');
    assert.equal(a.status, 200);
  });
});

test('a handler failure answers 500 and logs one line without frame bytes', async () => {
  const lines: string[] = [];
  const handler = async (): Promise<Uint8Array> => {
    throw Object.assign(new Error('device\nunplugged'), { code: 'USB_GONE' });
  };
  await withServer({ handler, log: (l) => lines.push(l) }, async (port) => {
    const a = await raw(port, post('/connector/api', frame('01000cdeadbeefcafebabe0123456789'), 'X-Request-ID: r1\r\n'));
    assert.equal(a.status, 500);
    assert.equal(a.body.toString(), 'Internal Server Error\n');
    assert.deepEqual(lines, ['connector: 500 frame handler failed (Error USB_GONE: device unplugged) request r1']);
  });
});

test('one frame in flight device-wide across connections', async () => {
  let inFlight = 0;
  let max = 0;
  const handler = async (f: Uint8Array): Promise<Uint8Array> => {
    inFlight++;
    max = Math.max(max, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    return echo(f);
  };
  await withServer({ handler }, async (port) => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => raw(port, post('/connector/api', Buffer.from([0x01, 0x00, 0x01, i])))),
    );
    answers.forEach((a, i) => assert.equal(a.body.toString('hex'), `810001${i.toString(16).padStart(2, '0')}`));
    assert.equal(max, 1);
  });
});

test('malformed requests get an answer or a close, and the server keeps serving', async () => {
  await withServer({}, async (port) => {
    const garbage = await raw(port, 'HELLO THERE\r\n\r\n', { waitClose: true });
    assert.equal(garbage.status, 400);
    assert.equal(garbage.closed, true);

    const hugeHeader = await raw(port, `GET /connector/status HTTP/1.1\r\nHost: h\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, { waitClose: true });
    assert.equal(hugeHeader.status, 431);

    const badLength = await raw(port, 'POST /connector/api HTTP/1.1\r\nHost: h\r\nContent-Length: -5\r\n\r\n', { waitClose: true });
    assert.equal(badLength.status, 400);

    const ok = await raw(port, post('/connector/api', frame('010000')));
    assert.equal(ok.status, 200);
  });
});

test('a huge declared body is refused with 400 and the connection closed, without reading it all', async () => {
  let calls = 0;
  const handler = async (f: Uint8Array): Promise<Uint8Array> => {
    calls++;
    return echo(f);
  };
  await withServer({ handler }, async (port) => {
    const head = 'POST /connector/api HTTP/1.1\r\nHost: h\r\nContent-Length: 100000000\r\n\r\n';
    const a = await raw(port, head, {
      waitClose: true,
      after: (s) => {
        // Keep streaming until the server closes; a server that buffered would accept all of it.
        const chunk = Buffer.alloc(64 * 1024);
        const pump = (): void => {
          while (!s.destroyed && s.write(chunk)) {
            /* fill the socket buffer */
          }
          if (!s.destroyed) s.once('drain', pump);
        };
        pump();
      },
    });
    assert.equal(a.status, 400);
    assert.equal(a.closed, true);
    assert.equal(a.headers['connection'], 'close');
    assert.equal(calls, 0);
  });
});

test('slow clients (a head or a body that never finishes) are cut off; the server keeps serving', async () => {
  await withServer({ slowClientTimeoutMs: 150 }, async (port) => {
    const slowHead = await raw(port, 'GET /connector/status HTTP/1.1\r\nHost: h\r\nX-Slow: ', { waitClose: true });
    assert.equal(slowHead.status, 408);
    const slowBody = await raw(port, 'POST /connector/api HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0102', { waitClose: true });
    assert.equal(slowBody.status, 408);
    const ok = await raw(port, post('/connector/api', frame('010000')));
    assert.equal(ok.status, 200);
  });
});

test('clients that vanish mid-body or mid-command do not wedge the device mutex', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let calls = 0;
  const handler = async (f: Uint8Array): Promise<Uint8Array> => {
    calls++;
    if (calls === 1) await gate;
    return echo(f);
  };
  await withServer({ handler }, async (port) => {
    // 1: headers promise 100 bytes, 10 arrive, then the client is gone.
    await new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.write('POST /connector/api HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n0123456789');
        setImmediate(() => {
          s.destroy();
          resolve();
        });
      });
    });
    // 2: a whole frame, then the client leaves while the handler runs.
    await new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.write(post('/connector/api', frame('010000')));
        const wait = setInterval(() => {
          if (calls === 1) {
            clearInterval(wait);
            s.destroy();
            resolve();
          }
        }, 1);
      });
    });
    release();
    const a = await raw(port, post('/connector/api', frame('01000101')));
    assert.equal(a.body.toString('hex'), '81000101');
    assert.equal(calls, 2, 'the cut-off body never reached the handler; the abandoned frame still ran');
  });
});

test('close() returns with idle keep-alive connections and with a frame in flight', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const server = await startConnectorServer({ handler: async (f) => (await gate, echo(f)), port: 0 });
  const idle = net.connect(server.port, '127.0.0.1');
  await new Promise((r) => idle.once('connect', r));
  idle.on('error', () => undefined);
  const busy = net.connect(server.port, '127.0.0.1');
  busy.on('error', () => undefined);
  busy.write(post('/connector/api', frame('010000')));
  await new Promise((r) => setTimeout(r, 20));
  const closing = server.close();
  release();
  await closing;
  await server.close();
  idle.destroy();
  busy.destroy();
});

test('listening on a busy port is a UsageError CONNECTOR_SERVER_LISTEN', async () => {
  await withServer({}, async (port) => {
    await assert.rejects(startConnectorServer({ handler: echo, port }), (e: unknown) => {
      return e instanceof UsageError && e.code === 'CONNECTOR_SERVER_LISTEN' && e.message.startsWith(`Cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    });
  });
});

test('curl (libyubihsm\'s HTTP stack) can use the server', async (t) => {
  const probe = await run('curl', ['--version']).catch(() => undefined);
  if (!probe || probe.code !== 0) return t.skip('curl not installed');
  await withServer({}, async (_port, url) => {
    const status = await run('curl', ['-sS', `${url}/connector/status`]);
    assert.match(status.stdout.toString(), /^status=OK\nserial=\*\nversion=3\.0\.7\npid=\d+\naddress=127\.0\.0\.1\nport=\d+\n$/);
    const api = await run(
      'curl',
      ['-sS', '--fail', '-H', 'Content-Type: application/octet-stream', '-H', 'YubiHSM-Session: 0123456789abcdef', '--data-binary', '@-', `${url}/connector/api`],
      frame('0100054869212121'),
    );
    assert.equal(api.code, 0, api.stderr);
    assert.equal(api.stdout.toString('hex'), '8100054869212121');
    const put = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'PUT', `${url}/connector/api`]);
    assert.equal(put.stdout.toString(), '405');
  });
});

test('python requests, used as python-yubihsm\'s HttpBackend does, can use the server', async (t) => {
  const probe = await run('python3', ['-c', 'import requests']).catch(() => undefined);
  if (!probe || probe.code !== 0) return t.skip('python3 with requests not installed');
  const script = [
    'import sys, requests',
    'from urllib.parse import urljoin',
    's = requests.Session()',
    "s.headers.update({'Content-Type': 'application/octet-stream'})",
    "url = urljoin(sys.argv[1], 'connector/api')",
    'for h in sys.argv[2:]:',
    '    r = s.post(url=url, data=bytes.fromhex(h), timeout=10)',
    '    r.raise_for_status()',
    '    print(r.content.hex())',
  ].join('\n');
  await withServer({}, async (_port, url) => {
    const big = '01' + '0c40' + 'cd'.repeat(3136);
    // Two bytes are not a frame: the connector answers 400, which requests raises.
    const refused = await run('python3', ['-c', script, url, '0600']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /400 Client Error/);
    const ok = await run('python3', ['-c', script, url, '010000', '06000100', big]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(ok.stdout.toString().trim().split('\n'), ['810000', '86000100', '81' + '0c40' + 'cd'.repeat(3136)]);
  });
});
