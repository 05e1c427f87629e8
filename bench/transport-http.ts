/**
 * Round trips per second of small frames over loopback HTTP: the yubihsm-connector transport against the
 * connector-compatible server with an echo handler, server in this process and in a child process. For reference it
 * also measures node:http with a keep-alive Agent and fetch against the same server (why the transport carries its
 * own small HTTP/1.1 client), and the in-process transport.
 *
 *   node dist/bench/transport-http.js [--seconds 2]
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { startConnectorServer } from '../src/simulator/connector-server.js';
import { HttpConnectorTransport } from '../src/transport/http-connector.js';
import { InProcessTransport } from '../src/transport/in-process.js';

const SMALL = Uint8Array.from(Buffer.from('01000948656c6c6f21212121', 'hex')); // Echo "Hello!!!!"-sized frame
const LARGE = (() => {
  const f = new Uint8Array(3139);
  f[0] = 0x01;
  f[1] = 0x0c;
  f[2] = 0x40;
  return f;
})();

async function echo(frame: Uint8Array): Promise<Uint8Array> {
  const out = new Uint8Array(frame);
  out[0] |= 0x80;
  return out;
}

type RoundTrip = () => Promise<unknown>;

/** Runs `fn` serially for about `seconds` after a warm-up; returns round trips per second. */
async function measure(fn: RoundTrip, seconds: number): Promise<number> {
  for (let i = 0; i < 300; i++) await fn();
  const deadline = performance.now() + seconds * 1000;
  let n = 0;
  const start = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i++) await fn();
    n += 100;
  }
  return n / ((performance.now() - start) / 1000);
}

function nodeHttpClient(url: string, frame: Uint8Array): { fn: RoundTrip; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const u = new URL(`${url}/connector/api`);
  const body = Buffer.from(frame);
  const fn = (): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          agent,
          headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve(Buffer.concat(parts)));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { fn, close: () => agent.destroy() };
}

function fetchClient(url: string, frame: Uint8Array): RoundTrip {
  return async () => {
    const r = await fetch(`${url}/connector/api`, {
      method: 'POST',
      body: frame,
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    return new Uint8Array(await r.arrayBuffer());
  };
}

async function startChildServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve(String(m)));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { url, child };
}

async function serveForParent(): Promise<void> {
  const server = await startConnectorServer({ handler: echo, port: 0 });
  process.send?.(server.url);
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(8);
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const i = argv.indexOf('--seconds');
  const seconds = i >= 0 ? Number(argv[i + 1]) : 2;
  const rows: Array<[string, number]> = [];
  const record = (name: string, value: number): void => {
    rows.push([name, value]);
    console.log(`${fmt(value)} round trips/s  ${name}`);
  };
  console.log(`transport-http: serial round trips of one frame at a time, ${seconds} s each, Node ${process.version}`);

  const inProc = new InProcessTransport(echo);
  record('in-process transport, 12-byte frame', await measure(() => inProc.send(SMALL), seconds));
  await inProc.close();

  const local = await startConnectorServer({ handler: echo, port: 0 });
  const t1 = await HttpConnectorTransport.connect({ url: local.url });
  const sameSmall = await measure(() => t1.send(SMALL), seconds);
  record('HTTP transport, same process, 12-byte frame', sameSmall);
  record('HTTP transport, same process, 3139-byte frame', await measure(() => t1.send(LARGE), seconds));
  const nh1 = nodeHttpClient(local.url, SMALL);
  const sameNodeHttp = await measure(nh1.fn, seconds);
  record('  reference: node:http keep-alive Agent, same process', sameNodeHttp);
  nh1.close();
  record('  reference: fetch, same process', await measure(fetchClient(local.url, SMALL), seconds));
  await t1.close();
  await local.close();

  const { url, child } = await startChildServer();
  try {
    const t2 = await HttpConnectorTransport.connect({ url });
    const crossSmall = await measure(() => t2.send(SMALL), seconds);
    record('HTTP transport, server in another process, 12-byte frame', crossSmall);
    record('HTTP transport, server in another process, 3139-byte frame', await measure(() => t2.send(LARGE), seconds));
    await t2.close();
    const nh2 = nodeHttpClient(url, SMALL);
    const crossNodeHttp = await measure(nh2.fn, seconds);
    record('  reference: node:http keep-alive Agent, other process', crossNodeHttp);
    nh2.close();
    record('  reference: fetch, other process', await measure(fetchClient(url, SMALL), seconds));
    console.log(
      `ratios: transport / node:http agent = ${(sameSmall / sameNodeHttp).toFixed(2)} (same process), ` +
        `${(crossSmall / crossNodeHttp).toFixed(2)} (other process); per round trip ${(1e6 / crossSmall).toFixed(0)} µs across processes`,
    );
  } finally {
    child.disconnect();
  }
}

if (process.argv.includes('--serve')) {
  void serveForParent();
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
