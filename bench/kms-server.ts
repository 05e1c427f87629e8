/**
 * The local KMS server under load, in one run:
 *  - Sign requests/s through @aws-sdk/client-kms (SigV4-signed, verified by the server) from CLIENTS concurrent
 *    clients, on an ECC_NIST_P256 key with imported material (the seed guide's key);
 *  - ImportKeyMaterial/s (each a fresh key with its own import token; durable: fsynced before the answer);
 *  - raw node:crypto sign/s with the same private key;
 * with their ratios and the CPU per request in the client and server processes.
 *
 * The server runs in a separate process with a data directory (what `hsm2kms kms serve --data DIR` does), so
 * clients and server each have a core. Run: `npx tsc -p . && node dist/bench/kms-server.js [seconds] [clients]`.
 * Target on the 2-core reference machine: >= 2000 signs/s through the SDK.
 */
import { fork } from 'node:child_process';
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

    // Sign through the SDK.
    const clients = Array.from({ length: CLIENTS }, () => client(url));
    const message = Buffer.from('Message signed by AWS KMS\n');
    await Promise.all(clients.map((c) => c.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }))));
    let signs = 0;
    const srv0 = await serverCpu();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const end = t0 + SECONDS * 1000;
    await Promise.all(clients.map(async (c) => {
      while (performance.now() < end) {
        await c.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
        signs++;
      }
    }));
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const srv = (await serverCpu()) - srv0;
    const sdkRate = signs / elapsed;
    for (const c of clients) c.destroy();

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

    // Raw node:crypto with the same private key.
    const key = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
    let raw = 0;
    const r0 = performance.now();
    const rend = r0 + Math.min(SECONDS, 3) * 1000;
    while (performance.now() < rend) {
      for (let i = 0; i < 100; i++) sign('sha256', message, { key, dsaEncoding: 'der' });
      raw += 100;
    }
    const rawRate = raw / ((performance.now() - r0) / 1000);

    const lines = [
      `Sign through the SDK (SigV4), ${CLIENTS} clients, ${SECONDS}s: ${sdkRate.toFixed(0)} signs/s  (target >= 2000)`,
      `  CPU per sign: client ${((cpu.user + cpu.system) / signs).toFixed(0)} µs, server ${(srv / signs).toFixed(0)} µs`,
      `ImportKeyMaterial (RSAES_OAEP_SHA_256, P-256 PKCS#8, durable), 4 in flight: ${importRate.toFixed(1)} imports/s`,
      `raw node:crypto ECDSA P-256 sign, same key: ${rawRate.toFixed(0)} signs/s`,
      `ratios: raw / SDK sign = ${(rawRate / sdkRate).toFixed(1)}; SDK sign / import = ${(sdkRate / importRate).toFixed(0)}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    child.disconnect();
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') void serve(process.argv[3]);
else await main();
