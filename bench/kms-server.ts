/**
 * The local KMS server under load, in one run:
 *  - Sign requests/s through @aws-sdk/client-kms (SigV4-signed by the SDK, verified by the server) from CLIENTS
 *    concurrent callers, on an ECC_NIST_P256 key with imported material (the seed guide's key);
 *  - ImportKeyMaterial/s (each a fresh key with its own import token; durable: fsynced before the answer);
 *  - raw node:crypto sign/s with the same private key;
 * with their ratios, the CPU per request in the client and server processes, and the TCP connections the server
 * accepted (keep-alive reuse means one per socket, not one per request).
 *
 * The server runs in its own process with a data directory (what `hsm2kms kms serve --data DIR` does). The callers
 * run in forked client processes, so this process only orchestrates, in two layouts:
 *  - split: the callers spread over PROCESSES processes, default 2 = one per CPU of the reference machine (16 clients
 *    of a server are normally separate processes or hosts; the headline figure). More processes than CPUs only add
 *    per-process cost on 2 CPUs: each one batches fewer responses per event-loop turn and needs its own JIT warm-up;
 *  - one: all callers in one process (its single core is the limit: the SDK costs about 3 times the server's CPU).
 * Each layout runs with the SDK configured for throughput and with the SDK's defaults. Tuned: one KMSClient per
 * process shared by its callers, `cacheMiddleware: true` (the middleware stack resolved once per command class) and
 * a keep-alive http.Agent with a socket per caller, the settings of the SDK's own throughput guide (aws-sdk-js-v3
 * supplemental-docs/performance/parallel-workloads-node-js.md); defaults: one KMSClient per process, nothing else
 * set. SigV4 is the SDK's own signer in both. The phases are interleaved over ROUNDS rounds and the medians printed
 * with their spread and the load average: the machine is shared, so compare ratios. The client processes live
 * through all rounds, warmed up once (a fresh process needs about 2.5 s of signing before the JIT has compiled the
 * SDK's path: CPU per sign falls from ~1.2 ms to ~0.4 ms) with their keep-alive sockets kept, so short rounds are
 * cheap and measure the steady state.
 * Run: `npx tsc -p . && node dist/bench/kms-server.js [seconds] [clients] [processes] [rounds]`.
 * Target on the 2-core reference machine: >= 2000 signs/s through the SDK.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, publicEncrypt, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateKeyCommand, GetParametersForImportCommand, ImportKeyMaterialCommand, KMSClient, SignCommand, type KMSClientConfig,
} from '@aws-sdk/client-kms';
import { DEFAULT_LOCAL_CREDENTIALS, startKmsServer } from '../src/kms/server/index.js';

const SECONDS = Number(process.argv[2] ?? 2);
const CLIENTS = Number(process.argv[3] ?? 16);
const PROCESSES = Number(process.argv[4] ?? 2);
const ROUNDS = Number(process.argv[5] ?? 7);
const IMPORTS = 60;
const WARMUP_MS = 3000;
const MESSAGE = Buffer.from('Message signed by AWS KMS\n');
const CPUS = availableParallelism();

type SdkConfig = 'tuned' | 'defaults';

interface ServerStats {
  /** CPU time (user + system) of the server process, µs. */
  cpuUs: number;
  /** TCP connections accepted since the server started. */
  connections: number;
}

/** Server mode: the KMS on 127.0.0.1:0 with a data directory; reports its URL and, on request, CPU and connections. */
async function serve(dataDir: string): Promise<void> {
  const server = await startKmsServer({ port: 0, dataDir });
  process.send?.({ url: server.url });
  process.on('message', (m: { stats?: boolean }) => {
    if (!m.stats) return;
    const cpu = process.cpuUsage();
    process.send?.({ cpuUs: cpu.user + cpu.system, connections: server.connectionsAccepted() } satisfies ServerStats);
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

/**
 * A KMSClient for `url`. `tuned`: the middleware stack resolved once per command class (`cacheMiddleware`, documented
 * in the SDK's client configuration) and a keep-alive agent with a socket per caller (the SDK's documented
 * `requestHandler` shorthand). `defaults`: only what any local endpoint needs. SigV4 signing is the SDK's in both.
 */
function client(url: string, config: SdkConfig = 'defaults', sockets = 50): KMSClient {
  const c = DEFAULT_LOCAL_CREDENTIALS[0];
  const base: KMSClientConfig = {
    endpoint: url, region: 'us-east-1', credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }, maxAttempts: 1,
  };
  if (config === 'defaults') return new KMSClient(base);
  return new KMSClient({ ...base, cacheMiddleware: true, requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: sockets }) } });
}

function wrap(publicKey: Uint8Array, material: Uint8Array): Buffer {
  const key = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, material);
}

function p256(): Buffer {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'der' });
}

interface SignRun {
  signs: number;
  seconds: number;
  /** CPU time (user + system) of the client process during the timed part, µs. */
  cpuUs: number;
}

/**
 * Client-process mode: `callers` concurrent callers sharing one KMSClient sign on `keyId` in a loop. WARMUP_MS of
 * warm-up (JIT, sockets), then 'ready'; then, for each `{ seconds }` the parent sends, one timed run reported back.
 */
async function clientProcess(url: string, keyId: string, callers: number, config: SdkConfig): Promise<void> {
  const kms = client(url, config, callers);
  const send = () => kms.send(new SignCommand({ KeyId: keyId, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' }));
  const loop = async (until: number, count: () => void) => {
    await Promise.all(Array.from({ length: callers }, async () => {
      while (performance.now() < until) {
        await send();
        count();
      }
    }));
  };
  await loop(performance.now() + WARMUP_MS, () => undefined);
  process.on('message', (m: { seconds: number }) => void (async () => {
    let signs = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await loop(t0 + m.seconds * 1000, () => signs++);
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    process.send?.({ signs, seconds: elapsed, cpuUs: cpu.user + cpu.system } satisfies SignRun);
  })());
  process.on('disconnect', () => {
    kms.destroy();
    process.exit(0);
  });
  process.send?.('ready');
}

interface PhaseResult {
  rate: number;
  clientUs: number;
  serverUs: number;
  /** TCP connections the server accepted during the timed run (0 when every socket is reused). */
  connections: number;
  load: number;
}

/** The client processes of one layout and SDK configuration, started and warmed up once. */
class SignPhase {
  readonly children: ChildProcess[];
  /** TCP connections the server accepted while these processes started and warmed up. */
  warmupConnections = 0;

  constructor(url: string, keyId: string, processes: number, config: SdkConfig) {
    this.children = Array.from({ length: processes }, (_, i) => fork(fileURLToPath(import.meta.url), [
      '--clients', url, keyId, String(Math.floor(CLIENTS / processes) + (i < CLIENTS % processes ? 1 : 0)), config,
    ], { stdio: 'inherit' }));
  }

  ready(): Promise<unknown> {
    return Promise.all(this.children.map((c) => new Promise((resolve) => c.once('message', resolve))));
  }

  /** One timed run of all the phase's processes together. */
  async run(seconds: number, stats: () => Promise<ServerStats>): Promise<PhaseResult> {
    const results = this.children.map((c) => new Promise<SignRun>((resolve) => c.once('message', (m: SignRun) => resolve(m))));
    const load = loadavg()[0];
    const s0 = await stats();
    for (const c of this.children) c.send({ seconds });
    const runs = await Promise.all(results);
    const s1 = await stats();
    const signs = runs.reduce((a, r) => a + r.signs, 0);
    return {
      rate: runs.reduce((a, r) => a + r.signs / r.seconds, 0),
      clientUs: runs.reduce((a, r) => a + r.cpuUs, 0) / signs,
      serverUs: (s1.cpuUs - s0.cpuUs) / signs,
      connections: s1.connections - s0.connections,
      load,
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((c) => new Promise((r) => {
      if (c.exitCode !== null) return r(null);
      c.once('exit', r);
      c.disconnect();
    })));
  }
}

/** The exact bytes the SDK sends for one Sign call (SigV4 headers included), captured by a recording handler. */
async function capturedSign(url: string, keyId: string): Promise<{ headers: Record<string, string>; body: string }> {
  const c = DEFAULT_LOCAL_CREDENTIALS[0];
  let captured: { headers: Record<string, string>; body: string } | undefined;
  const recorder = new KMSClient({
    endpoint: url, region: 'us-east-1', credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }, maxAttempts: 1,
    requestHandler: {
      handle: async (req: { headers: Record<string, string>; body: string }) => {
        captured = { headers: { ...req.headers }, body: req.body };
        throw new Error('captured');
      },
    } as never,
  });
  await recorder.send(new SignCommand({ KeyId: keyId, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' })).catch(() => undefined);
  recorder.destroy();
  if (!captured) throw new Error('The SDK sent nothing to capture.');
  return captured;
}

/**
 * Server capacity: the SDK's signed Sign request replayed (SigV4 still verified each time) on `connections`
 * keep-alive sockets; returns requests/s and the server's CPU per request.
 */
async function replayLoad(url: string, keyId: string, connections: number, seconds: number, stats: () => Promise<ServerStats>): Promise<{ rate: number; serverUs: number }> {
  const { headers, body } = await capturedSign(url, keyId);
  const u = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const once = () => new Promise<void>((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method: 'POST', path: '/', agent, headers }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`replayed Sign answered ${res.statusCode}`));
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end(body);
  });
  const run = async (ms: number): Promise<number> => {
    let n = 0;
    const end = performance.now() + ms;
    await Promise.all(Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        await once();
        n++;
      }
    }));
    return n;
  };
  await run(WARMUP_MS);
  const s0 = await stats();
  const t0 = performance.now();
  const n = await run(seconds * 1000);
  const elapsed = (performance.now() - t0) / 1000;
  const s1 = await stats();
  agent.destroy();
  return { rate: n / elapsed, serverUs: (s1.cpuUs - s0.cpuUs) / n };
}

async function importOne(kms: KMSClient, material: Buffer): Promise<string> {
  const keyId = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' }))).KeyMetadata?.KeyId as string;
  const p = await kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
  await kms.send(new ImportKeyMaterialCommand({
    KeyId: keyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrap(p.PublicKey as Uint8Array, material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
  }));
  return keyId;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** `median (min-max)` of a field over rounds. */
function spread(rs: readonly PhaseResult[], f: (r: PhaseResult) => number, digits = 0): string {
  const xs = rs.map(f);
  return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dataDir = mkdtempSync(join(tmpdir(), 'hsm2kms-bench-kms-'));
  const server = fork(fileURLToPath(import.meta.url), ['--serve', dataDir], { stdio: 'inherit' });
  try {
    const url = await new Promise<string>((resolve) => server.once('message', (m: { url: string }) => resolve(m.url)));
    const stats = (): Promise<ServerStats> => new Promise((resolve) => {
      server.once('message', (m: ServerStats) => resolve(m));
      server.send({ stats: true });
    });
    const admin = client(url);
    const material = p256();
    const keyId = await importOne(admin, material);
    const load0 = loadavg();

    // Sign through the SDK: the four phases interleaved, ROUNDS times.
    const phases = [
      { name: `split over ${PROCESSES} processes, tuned SDK config `, processes: PROCESSES, config: 'tuned' },
      { name: 'one process, tuned SDK config             ', processes: 1, config: 'tuned' },
      { name: `split over ${PROCESSES} processes, SDK defaults    `, processes: PROCESSES, config: 'defaults' },
      { name: 'one process, SDK defaults                ', processes: 1, config: 'defaults' },
    ] as const;
    const running: SignPhase[] = [];
    for (const p of phases) {
      const before = await stats();
      const phase = new SignPhase(url, keyId, p.processes, p.config);
      running.push(phase);
      await phase.ready();
      phase.warmupConnections = (await stats()).connections - before.connections;
    }
    const results: PhaseResult[][] = phases.map(() => []);
    try {
      for (let r = 0; r < ROUNDS; r++) {
        for (const [i, phase] of running.entries()) results[i].push(await phase.run(SECONDS, stats));
      }
    } finally {
      await Promise.all(running.map((p) => p.stop()));
    }
    const replays: { rate: number; serverUs: number }[] = [];
    for (let r = 0; r < Math.min(ROUNDS, 3); r++) replays.push(await replayLoad(url, keyId, CLIENTS, SECONDS, stats));

    // ImportKeyMaterial: keys and tokens prepared first, then only the imports timed (4 in flight).
    const prepared = await Promise.all(Array.from({ length: IMPORTS }, async () => {
      const id = (await admin.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' }))).KeyMetadata?.KeyId as string;
      const p = await admin.send(new GetParametersForImportCommand({ KeyId: id, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
      return { id, token: p.ImportToken as Uint8Array, blob: wrap(p.PublicKey as Uint8Array, p256()) };
    }));
    const importers = Array.from({ length: 4 }, () => client(url));
    let next = 0;
    const i0 = performance.now();
    await Promise.all(importers.map(async (c) => {
      while (next < prepared.length) {
        const job = prepared[next++];
        await c.send(new ImportKeyMaterialCommand({ KeyId: job.id, ImportToken: job.token, EncryptedKeyMaterial: job.blob, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
      }
    }));
    const importRate = IMPORTS / ((performance.now() - i0) / 1000);
    for (const c of importers) c.destroy();
    admin.destroy();

    // Raw node:crypto with the same private key and message, one core; median of ROUNDS.
    const key = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
    const raws: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let raw = 0;
      const r0 = performance.now();
      const rend = r0 + 1000;
      while (performance.now() < rend) {
        for (let i = 0; i < 100; i++) sign('sha256', MESSAGE, { key, dsaEncoding: 'der' });
        raw += 100;
      }
      raws.push(raw / ((performance.now() - r0) / 1000));
    }
    const rawRate = median(raws);
    const load1 = loadavg();

    const headline = median(results[0].map((r) => r.rate));
    /** Signs/s if CPU were the only limit: the CPUs shared by clients and server, each client process on one CPU at most. */
    const capacity = (i: number, processes: number): number => {
      const client = median(results[i].map((r) => r.clientUs));
      const server = median(results[i].map((r) => r.serverUs));
      return Math.min((CPUS * 1e6) / (client + server), (Math.min(processes, CPUS) * 1e6) / client, 1e6 / server);
    };
    const row = (i: number) => {
      const rs = results[i];
      return `  ${phases[i].name} ${spread(rs, (r) => r.rate)} signs/s; CPU µs per sign: client ${spread(rs, (r) => r.clientUs)}, ` +
        `server ${spread(rs, (r) => r.serverUs)}; TCP connections: ${running[i].warmupConnections} at warm-up, ` +
        `${rs.reduce((a, r) => a + r.connections, 0)} while timed`;
    };
    const rate = (i: number) => median(results[i].map((r) => r.rate));
    const replayRate = median(replays.map((r) => r.rate));
    const replayUs = median(replays.map((r) => r.serverUs));
    const lines = [
      `Sign through the SDK (SigV4), ${CLIENTS} concurrent callers, ${SECONDS}s x ${ROUNDS} rounds, ECC_NIST_P256 imported key; median (min-max):`,
      row(0), row(1), row(2), row(3),
      `  headline (split, tuned): ${headline.toFixed(0)} signs/s, target >= 2000: ${headline >= 2000 ? 'met' : 'NOT met'}`,
      `  CPU-bound estimate with the ${CPUS} CPUs to ourselves (from the median CPU per sign, not a measurement): ` +
        `split tuned ${capacity(0, PROCESSES).toFixed(0)}/s, one process tuned ${capacity(1, 1).toFixed(0)}/s, ` +
        `split defaults ${capacity(2, PROCESSES).toFixed(0)}/s, one process defaults ${capacity(3, 1).toFixed(0)}/s`,
      `  server alone (the SDK's signed request replayed on ${CLIENTS} keep-alive connections, SigV4 verified each time): ` +
        `${replayRate.toFixed(0)} signs/s, server CPU ${replayUs.toFixed(0)} µs per sign`,
      `ImportKeyMaterial (RSAES_OAEP_SHA_256, P-256 PKCS#8, durable), 4 in flight: ${importRate.toFixed(1)} imports/s`,
      `raw node:crypto ECDSA P-256 sign, same key, one core: ${rawRate.toFixed(0)} signs/s (${(1e6 / rawRate).toFixed(0)} µs per sign)`,
      `ratios: tuned / defaults = ${(rate(0) / rate(2)).toFixed(2)} split, ${(rate(1) / rate(3)).toFixed(2)} one process; ` +
        `split / one process (tuned) = ${(rate(0) / rate(1)).toFixed(2)}; raw / SDK sign = ${(rawRate / headline).toFixed(1)}; ` +
        `client CPU / server CPU per sign = ${(median(results[0].map((r) => r.clientUs)) / median(results[0].map((r) => r.serverUs))).toFixed(1)}; ` +
        `SDK sign / import = ${(headline / importRate).toFixed(0)}`,
      `load average (1/5/15 min) at start ${load0.map((l) => l.toFixed(1)).join('/')}, at end ${load1.map((l) => l.toFixed(1)).join('/')} on ` +
        `${CPUS} CPUs; per-phase 1-min load ${spread(results.flat(), (r) => r.load, 1)}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    server.disconnect();
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') void serve(process.argv[3]);
else if (process.argv[2] === '--clients') {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  void clientProcess(process.argv[3], process.argv[4], Number(process.argv[5]), process.argv[6] as SdkConfig);
} else await main();
