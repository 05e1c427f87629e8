/**
 * Authenticated ECDSA-P256 signs per second from the client library to the software YubiHSM 2 over HTTP, against
 * raw node:crypto P-256 signs per second, and their ratio.
 *
 * The device runs in a separate process behind the connector-compatible HTTP server on 127.0.0.1 (what
 * `hsm2kms hsm serve` does), so client and device each have a core, as with a real connector. The client opens
 * SESSIONS sessions, each on its own HTTP connection (`connections`), and keeps one SignEcdsa in flight per session,
 * as a multi-session client would. The machine is shared and noisy, so the two measurements alternate for ROUNDS
 * rounds and the best round of each is reported (the least disturbed; every round is printed too), with the CPU time
 * per sign spent in each process. Run: `npx tsc -p . && node dist/bench/hsm-sign.js [seconds-per-round] [sessions]`.
 * Targets on the 2-core reference machine: >= 3000 signs/s over HTTP, ratio (node:crypto / HTTP) <= 8.
 */
import { fork } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { AsymmetricKey, YubiHsm, type HsmSession } from '../src/client/index.js';
import { startConnectorServer } from '../src/simulator/connector-server.js';
import { SoftwareYubiHsm } from '../src/simulator/device.js';

const SECONDS = Number(process.argv[2] ?? 2);
const SESSIONS = Number(process.argv[3] ?? 4);
const ROUNDS = 3;

/** Child mode: serve a fresh software device on 127.0.0.1:0 and report the URL to the parent. */
async function serve(): Promise<void> {
  const device = new SoftwareYubiHsm();
  const server = await startConnectorServer({ handler: (f) => device.handle(f), host: '127.0.0.1', port: 0 });
  process.send?.({ url: server.url });
  process.on('message', (m: { cpu?: boolean }) => {
    if (m.cpu) process.send?.({ cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

function nodeSignsPerSecond(seconds: number): number {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const msg = Buffer.from('benchmark message');
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) sign('sha256', msg, privateKey);
    n += 100;
  }
  return n / seconds;
}

interface HttpRun {
  signsPerSecond: number;
  /** CPU time (user + system) per sign, µs, in this (client) process and in the device process. */
  clientCpuUs: number;
  deviceCpuUs: number;
}

interface Rig {
  hsm: YubiHsm;
  sessions: HsmSession[];
  keyId: number;
}

/** Connects with one HTTP connection per session, makes the signing key and opens the sessions. */
async function prepare(url: string, sessions: number): Promise<Rig> {
  const hsm = await YubiHsm.connect({ connector: url, connections: sessions });
  const admin = await hsm.openSession({ authKeyId: 1, password: 'password' });
  const key = await AsymmetricKey.generate(admin, { id: 0x100, label: 'bench', domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  await admin.close();
  const opened = await Promise.all(Array.from({ length: sessions }, () => hsm.openSession({ authKeyId: 1, password: 'password', reopen: 'idempotent' })));
  return { hsm, sessions: opened, keyId: key.id };
}

async function hsmSignsPerSecond(rig: Rig, seconds: number, deviceCpu: () => Promise<number>): Promise<HttpRun> {
  const digest = new Uint8Array(createHash('sha256').update('benchmark message').digest());
  let n = 0;
  const dev0 = await deviceCpu();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    rig.sessions.map(async (s) => {
      const k = AsymmetricKey.from(s, rig.keyId);
      while (performance.now() < end) {
        await k.signEcdsa(digest);
        n++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const dev = (await deviceCpu()) - dev0;
  return { signsPerSecond: n / elapsed, clientCpuUs: (cpu.user + cpu.system) / n, deviceCpuUs: dev / n };
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (m: { url: string }) => resolve(m.url));
      child.once('exit', (code) => reject(new Error(`device process exited with ${code}`)));
    });
    const deviceCpu = () =>
      new Promise<number>((resolve) => {
        child.once('message', (m: { cpu: NodeJS.CpuUsage }) => resolve(m.cpu.user + m.cpu.system));
        child.send({ cpu: true });
      });
    const rig = await prepare(url, SESSIONS);
    await hsmSignsPerSecond(rig, 2, deviceCpu); // warm-up: JIT in both processes
    nodeSignsPerSecond(0.5);
    const runs: HttpRun[] = [];
    const raws: number[] = [];
    try {
      for (let r = 0; r < ROUNDS; r++) {
        const run = await hsmSignsPerSecond(rig, SECONDS, deviceCpu);
        const raw = nodeSignsPerSecond(SECONDS);
        runs.push(run);
        raws.push(raw);
        console.log(
          `hsm-sign: round ${r + 1}: HTTP ${run.signsPerSecond.toFixed(0)} signs/s (CPU/sign: client ${run.clientCpuUs.toFixed(0)} µs, ` +
            `device process ${run.deviceCpuUs.toFixed(0)} µs); node:crypto ${raw.toFixed(0)} signs/s`,
        );
      }
    } finally {
      await Promise.all(rig.sessions.map((s) => s.close()));
      await rig.hsm.close();
    }
    const best = runs.reduce((a, b) => (b.signsPerSecond > a.signsPerSecond ? b : a));
    const raw = Math.max(...raws);
    const ratio = raw / best.signsPerSecond;
    console.log(`hsm-sign: ECDSA-P256 over HTTP (${SESSIONS} sessions, device in another process): ${best.signsPerSecond.toFixed(0)} signs/s (best of ${ROUNDS})`);
    console.log(`hsm-sign: CPU per sign in that round: client ${best.clientCpuUs.toFixed(0)} µs, device process ${best.deviceCpuUs.toFixed(0)} µs`);
    console.log(`hsm-sign: node:crypto P-256 sign (one thread): ${raw.toFixed(0)} signs/s (best of ${ROUNDS})`);
    console.log(`hsm-sign: ratio node:crypto / HTTP: ${ratio.toFixed(2)} (target <= 8; HTTP target >= 3000 signs/s)`);
  } finally {
    child.disconnect();
  }
}

if (process.argv.includes('--serve')) void serve();
else await main();
