/**
 * The local KMS server under load, in one run:
 *  - Sign requests/s through @aws-sdk/client-kms (SigV4-signed, verified by the server) from CLIENTS concurrent
 *    clients, on an ECC_NIST_P256 key with imported material (the seed guide's key);
 *  - ImportKeyMaterial/s (each a fresh key with its own import token; durable: fsynced before the answer);
 *  - raw node:crypto sign/s with the same private key;
 * with their ratios and the CPU per request in the client and server processes.
 *
 * The server runs in a separate process with a data directory (what `hsm2kms kms serve --data DIR` does). The SDK
 * costs several times the server's CPU per request, so the clients are measured twice: all in one process (the
 * SDK's single core is the limit) and split over PROCESSES client processes (the machine is the limit).
 * Run: `npx tsc -p . && node dist/bench/kms-server.js [seconds] [clients] [processes]`.
 * Target on the 2-core reference machine: >= 2000 signs/s through the SDK.
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, publicEncrypt, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateKeyCommand, GetParametersForImportCommand, ImportKeyMaterialCommand, KMSClient, SignCommand,
} from '@aws-sdk/client-kms';
import { DEFAULT_LOCAL_CREDENTIALS, startKmsServer } from '../src/kms/server/index.js';

const SECONDS = Number(process.argv[2] ?? 5);
const CLIENTS = Number(process.argv[3] ?? 16);
const PROCESSES = Number(process.argv[4] ?? 2);
const IMPORTS = 60;

/** Child mode: the server on 127.0.0.1:0 with a data directory; reports its URL and, on request, its CPU time. */
async function serve(dataDir: string): Promise<void> {
  const server = await startKmsServer({ port: 0, dataDir });
  process.send?.({ url: server.url });
  process.on('message', (m: { cpu?: boolean }) => {
    if (m.cpu) process.send?.({ cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

function client(url: string): KMSClient {
  const c = DEFAULT_LOCAL_CREDENTIALS[0];
  return new KMSClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }, maxAttempts: 1 });
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
  /** CPU time (user + system) of the client process, µs. */
  cpuUs: number;
}

/**
 * `callers` concurrent callers signing in a loop on `keyId` for `seconds`, sharing `instances` KMSClient objects
 * (1: the usual one client per application; `callers`: one each).
 */
async function signLoad(url: string, keyId: string, callers: number, instances: number, seconds: number): Promise<SignRun> {
  const all = Array.from({ length: instances }, () => client(url));
  const message = Buffer.from('Message signed by AWS KMS\n');
  const send = (c: KMSClient) => c.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
  await Promise.all(Array.from({ length: callers }, (_, i) => send(all[i % instances])));
  let signs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: callers }, async (_, i) => {
    const c = all[i % instances];
    while (performance.now() < end) {
      await send(c);
      signs++;
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  for (const c of all) c.destroy();
  return { signs, seconds: elapsed, cpuUs: cpu.user + cpu.system };
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
  await recorder.send(new SignCommand({ KeyId: keyId, Message: Buffer.from('Message signed by AWS KMS\n'), SigningAlgorithm: 'ECDSA_SHA_256' })).catch(() => undefined);
  recorder.destroy();
  if (!captured) throw new Error('The SDK sent nothing to capture.');
  return captured;
}

/** Server capacity: the SDK's signed Sign request replayed (SigV4 still verified each time) on `connections` keep-alive sockets. */
async function replayLoad(url: string, keyId: string, connections: number, seconds: number): Promise<number> {
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
  let n = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      await once();
      n++;
    }
  }));
  agent.destroy();
  return n / ((performance.now() - t0) / 1000);
}

/** Client-process mode: runs signLoad and reports it to the parent. */
async function clientProcess(url: string, keyId: string, callers: number, seconds: number): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  process.send?.(await signLoad(url, keyId, callers, 1, seconds));
  process.disconnect();
}

async function importOne(kms: KMSClient, material: Buffer): Promise<string> {
  const keyId = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' }))).KeyMetadata?.KeyId as string;
  const p = await kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
  await kms.send(new ImportKeyMaterialCommand({
    KeyId: keyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrap(p.PublicKey as Uint8Array, material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
  }));
  return keyId;
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dataDir = mkdtempSync(join(tmpdir(), 'hsm2kms-bench-kms-'));
  const child = fork(fileURLToPath(import.meta.url), ['--serve', dataDir], { stdio: 'inherit' });
  try {
    const url = await new Promise<string>((resolve) => child.once('message', (m: { url: string }) => resolve(m.url)));
    const serverCpu = (): Promise<number> => new Promise((resolve) => {
      child.once('message', (m: { cpu: NodeJS.CpuUsage }) => resolve(m.cpu.user + m.cpu.system));
      child.send({ cpu: true });
    });
    const admin = client(url);
    const material = p256();
    const keyId = await importOne(admin, material);

    // Sign through the SDK: all callers in this process, one KMSClient each.
    let srv0 = await serverCpu();
    const one = await signLoad(url, keyId, CLIENTS, CLIENTS, SECONDS);
    const oneServerUs = (await serverCpu()) - srv0;
    const oneRate = one.signs / one.seconds;

    // The same number of callers split over PROCESSES processes, one shared KMSClient per process, started together.
    const children = Array.from({ length: PROCESSES }, (_, i) => fork(fileURLToPath(import.meta.url),
      ['--clients', url, keyId, String(Math.floor(CLIENTS / PROCESSES) + (i < CLIENTS % PROCESSES ? 1 : 0)), String(SECONDS)], { stdio: 'inherit' }));
    const results = children.map((c) => new Promise<SignRun>((resolve) => c.once('message', (m: SignRun) => resolve(m))));
    await new Promise((r) => setTimeout(r, 1500));
    srv0 = await serverCpu();
    for (const c of children) c.send({ go: true });
    const runs = await Promise.all(results);
    const splitServerUs = (await serverCpu()) - srv0;
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode === null ? c.once('exit', r) : r(null)))));
    const splitSigns = runs.reduce((a, r) => a + r.signs, 0);
    const splitRate = runs.reduce((a, r) => a + r.signs / r.seconds, 0);
    const splitClientUs = runs.reduce((a, r) => a + r.cpuUs, 0);

    const replayRate = await replayLoad(url, keyId, CLIENTS, Math.min(SECONDS, 3));

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

    // Raw node:crypto with the same private key and message.
    const message = Buffer.from('Message signed by AWS KMS\n');
    const key = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
    let raw = 0;
    const r0 = performance.now();
    const rend = r0 + Math.min(SECONDS, 3) * 1000;
    while (performance.now() < rend) {
      for (let i = 0; i < 100; i++) sign('sha256', message, { key, dsaEncoding: 'der' });
      raw += 100;
    }
    const rawRate = raw / ((performance.now() - r0) / 1000);

    const sdkRate = Math.max(oneRate, splitRate);
    const lines = [
      `Sign through the SDK (SigV4), ${CLIENTS} concurrent clients, ${SECONDS}s, ECC_NIST_P256 imported key (target >= 2000/s):`,
      `  1 process, ${CLIENTS} KMSClient objects:       ${oneRate.toFixed(0)} signs/s; CPU per sign: client ${(one.cpuUs / one.signs).toFixed(0)} µs, server ${(oneServerUs / one.signs).toFixed(0)} µs`,
      `  ${PROCESSES} processes, one shared KMSClient each: ${splitRate.toFixed(0)} signs/s; CPU per sign: clients ${(splitClientUs / splitSigns).toFixed(0)} µs, server ${(splitServerUs / splitSigns).toFixed(0)} µs`,
      `  server capacity (the SDK's signed request replayed on ${CLIENTS} connections, SigV4 verified each time): ${replayRate.toFixed(0)} signs/s`,
      `ImportKeyMaterial (RSAES_OAEP_SHA_256, P-256 PKCS#8, durable), 4 in flight: ${importRate.toFixed(1)} imports/s`,
      `raw node:crypto ECDSA P-256 sign, same key: ${rawRate.toFixed(0)} signs/s`,
      `ratios: raw / SDK sign = ${(rawRate / sdkRate).toFixed(1)}; server CPU per sign / raw sign = ${((splitServerUs / splitSigns) / (1e6 / rawRate)).toFixed(1)}; SDK sign / import = ${(sdkRate / importRate).toFixed(0)}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    child.disconnect();
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') void serve(process.argv[3]);
else if (process.argv[2] === '--clients') void clientProcess(process.argv[3], process.argv[4], Number(process.argv[5]), Number(process.argv[6]));
else await main();
