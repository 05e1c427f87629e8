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

/** Runs `fn` serially for about `seconds`; returns round trips per second. */
async function measure(fn: RoundTrip, seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let n = 0;
  const start = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
  }
  return n / ((performance.now() - start) / 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
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
  process.on('message', () => process.send?.(process.cpuUsage()));
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

/** CPU time (user + system) per round trip in this process and in the server child. */
async function cpuPerRoundTrip(child: ChildProcess, fn: RoundTrip, n: number): Promise<{ client: number; server: number }> {
  const childCpu = (): Promise<NodeJS.CpuUsage> =>
    new Promise((resolve) => {
      child.once('message', (m) => resolve(m as NodeJS.CpuUsage));
      child.send('cpu');
    });
  const s0 = await childCpu();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const c = process.cpuUsage(c0);
  const s1 = await childCpu();
  return { client: (c.user + c.system) / n, server: (s1.user + s1.system - s0.user - s0.system) / n };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(8);
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const i = argv.indexOf('--seconds');
  const seconds = i >= 0 ? Number(argv[i + 1]) : 12;
  const local = await startConnectorServer({ handler: echo, port: 0 });
  const { url, child } = await startChildServer();
  const inProc = new InProcessTransport(echo);
  const tLocal = await HttpConnectorTransport.connect({ url: local.url });
  const tChild = await HttpConnectorTransport.connect({ url });
  const nhLocal = nodeHttpClient(local.url, SMALL);
  const nhChild = nodeHttpClient(url, SMALL);
  const cases: Array<[string, RoundTrip]> = [
    ['in-process transport, 12-byte frame', () => inProc.send(SMALL)],
    ['HTTP transport, same process, 12-byte frame', () => tLocal.send(SMALL)],
    ['HTTP transport, same process, 3139-byte frame', () => tLocal.send(LARGE)],
    ['  reference: node:http keep-alive Agent, same process, 12-byte frame', nhLocal.fn],
    ['  reference: fetch, same process, 12-byte frame', fetchClient(local.url, SMALL)],
    ['HTTP transport, server in another process, 12-byte frame', () => tChild.send(SMALL)],
    ['HTTP transport, server in another process, 3139-byte frame', () => tChild.send(LARGE)],
    ['  reference: node:http keep-alive Agent, other process, 12-byte frame', nhChild.fn],
    ['  reference: fetch, other process, 12-byte frame', fetchClient(url, SMALL)],
  ];
  // Interleaved short rounds, median per case: robust against other load on the machine.
  const rounds = 6;
  const slice = seconds / rounds / cases.length;
  const results = cases.map(() => [] as number[]);
  let cpu = { client: 0, server: 0 };
  try {
    for (const [, fn] of cases) for (let w = 0; w < 300; w++) await fn();
    for (let r = 0; r < rounds; r++) {
      for (let c = 0; c < cases.length; c++) results[c].push(await measure(cases[c][1], slice));
    }
    cpu = await cpuPerRoundTrip(child, () => tChild.send(SMALL), 20_000);
  } finally {
    await tLocal.close();
    await tChild.close();
    nhLocal.close();
    nhChild.close();
    await inProc.close();
    await local.close();
    child.disconnect();
  }
  console.log(`transport-http: one frame in flight, ${rounds} interleaved rounds, median (min..max) round trips/s, Node ${process.version}`);
  const med = results.map(median);
  cases.forEach(([name], c) => {
    const lo = Math.min(...results[c]);
    const hi = Math.max(...results[c]);
    console.log(`${fmt(med[c])}  (${fmt(lo).trim()}..${fmt(hi).trim()})  ${name}`);
  });
  console.log(
    `CPU per round trip, transport across processes (12-byte frame): client ${cpu.client.toFixed(1)} µs, server ${cpu.server.toFixed(1)} µs`,
  );
  console.log(
    `ratios: transport / node:http agent = ${(med[1] / med[3]).toFixed(2)} same process, ${(med[5] / med[7]).toFixed(2)} across processes; ` +
      `transport / fetch = ${(med[5] / med[8]).toFixed(1)} across processes; ${(1e6 / med[5]).toFixed(0)} µs per round trip across processes`,
  );
}

if (process.argv.includes('--serve')) {
  void serveForParent();
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
