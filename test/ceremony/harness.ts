/**
 * Test harness for the ceremony: a sandbox (temp dirs, an empty AWS config, a wrapping-key cache), the built
 * `hsm2kms` run as a child process, targets served over real HTTP (the software YubiHSM 2 behind the connector API
 * and the local KMS server, both on 127.0.0.1 port 0), and a look at reality afterwards: the KMS keys, aliases and
 * public keys through the AWS SDK, the HSM objects through a session on the device. Everything started here is
 * stopped and removed by `close()`.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AsymmetricKey, YubiHsm, type HsmSession } from '../../src/client/index.js';
import { keySpecs, type CeremonyKeySpec, type KeyUsage } from '../../src/ceremony/key-specs.js';
import { CEREMONY_TAG } from '../../src/ceremony/steps/kms-keys.js';
import { embeddedPaths } from '../../src/ceremony/targets.js';
import { CachedWrappingKeys } from '../../src/ceremony/wrapping-key-cache.js';
import { AwsKms } from '../../src/kms/client/aws-kms.js';
import type { KmsKey } from '../../src/kms/client/port.js';
import { kmsTargetFromOptions } from '../../src/kms/client/target.js';
import { startKmsServer, type KmsServer } from '../../src/kms/server/index.js';
import { ObjectType } from '../../src/protocol/object-types.js';
import { startConnectorServer, type ConnectorServer } from '../../src/simulator/connector-server.js';
import { SoftwareYubiHsm, type SoftwareYubiHsmOptions } from '../../src/simulator/device.js';
import { loadStateFile } from '../../src/simulator/persistence.js';
import { InProcessTransport } from '../../src/transport/in-process.js';

export const REGION = 'us-east-1';
/** The simulator's factory password for auth key 1 (PROTOCOL.md 4.7). */
export const FACTORY_PASSWORD = 'password';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test file');
    dir = up;
  }
  return dir;
}

export const REPO = repoRoot();
/** The built CLI (`npm test` builds first; from a .ts run, build with `npx tsc -p .`). */
export const CLI = process.env.HSM2KMS_TEST_CLI ?? join(REPO, 'dist', 'src', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Temp dirs, an isolated HOME and AWS config, and a wrapping-key cache shared by the file's runs. */
export class Sandbox {
  readonly root: string;
  readonly home: string;
  readonly cacheDir: string;
  readonly awsConfig: string;
  readonly awsCredentials: string;
  private n = 0;

  constructor(prefix = 'hsm2kms-ceremony-') {
    this.root = mkdtempSync(join(tmpdir(), prefix));
    this.home = join(this.root, 'home');
    this.cacheDir = join(this.root, 'cache');
    mkdirSync(this.home, { mode: 0o700 });
    this.awsConfig = join(this.root, 'aws-config');
    this.awsCredentials = join(this.root, 'aws-credentials');
    writeFileSync(this.awsConfig, '');
    writeFileSync(this.awsCredentials, '');
  }

  /** A fresh empty directory inside the sandbox. */
  dir(name = 'run'): string {
    const d = join(this.root, `${name}-${++this.n}`);
    mkdirSync(d);
    return d;
  }

  /** The environment a child gets: nothing from ours but PATH, so no real AWS config or credentials leak in. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      HSM2KMS_CACHE_DIR: this.cacheDir,
      AWS_CONFIG_FILE: this.awsConfig,
      AWS_SHARED_CREDENTIALS_FILE: this.awsCredentials,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    };
  }

  close(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Runs `node dist/src/cli/main.js ...args` with stdin not a terminal. */
export function runCli(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** An AWS SDK client on a local KMS server with its first access key, set explicitly (never the environment). */
export function kmsClient(url: string, credentials: { accessKeyId: string; secretAccessKey: string }): AwsKms {
  return new AwsKms({ target: kmsTargetFromOptions({ kms: url, region: REGION, env: {} }), credentials, maxAttempts: 1 });
}

/** The software YubiHSM 2 behind the connector API and the local KMS, both over HTTP on loopback. */
export class HttpTargets {
  private constructor(
    readonly device: SoftwareYubiHsm,
    readonly connector: ConnectorServer,
    readonly kmsServer: KmsServer,
    readonly kms: AwsKms,
    private readonly clock: { offsetMs: number },
  ) {}

  static async start(sandbox: Sandbox, opts: { tokenLifetimeMs?: number; device?: SoftwareYubiHsmOptions } = {}): Promise<HttpTargets> {
    const device = new SoftwareYubiHsm(opts.device);
    const connector = await startConnectorServer({ handler: (f) => device.handle(f), host: '127.0.0.1', port: 0 });
    const clock = { offsetMs: 0 };
    const kmsServer = await startKmsServer({
      host: '127.0.0.1',
      port: 0,
      now: () => new Date(Date.now() + clock.offsetMs),
      wrappingKeySource: new CachedWrappingKeys(sandbox.cacheDir),
      ...(opts.tokenLifetimeMs ? { tokenLifetimeMs: opts.tokenLifetimeMs } : {}),
    });
    return new HttpTargets(device, connector, kmsServer, kmsClient(kmsServer.url, kmsServer.credentials[0]), clock);
  }

  /**
   * Sets the KMS server's clock ahead of the real one (token expiry). The server checks SigV4 request times with
   * the same clock and allows 15 minutes of skew, so offsets stay below that.
   */
  setKmsClockOffset(ms: number): void {
    this.clock.offsetMs = ms;
  }

  /** Flags naming these targets, and the environment with the KMS server's local credentials. */
  args(): string[] {
    return ['--connector', this.connector.url, '--kms', this.kmsServer.url];
  }

  kmsEnv(): Record<string, string> {
    const c = this.kmsServer.credentials[0];
    return { AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_REGION: REGION };
  }

  async session(): Promise<{ session: HsmSession; close(): Promise<void> }> {
    return openDeviceSession(this.device);
  }

  async close(): Promise<void> {
    this.kms.destroy();
    await this.connector.close();
    await this.kmsServer.close();
  }
}

export async function openDeviceSession(device: SoftwareYubiHsm): Promise<{ session: HsmSession; close(): Promise<void> }> {
  const hsm = await YubiHsm.connect({ transport: new InProcessTransport((f) => device.handle(f), { description: 'test' }) });
  const session = await hsm.openSession({ authKeyId: 1, password: new TextEncoder().encode(FACTORY_PASSWORD) });
  return {
    session,
    close: async () => {
      await session.close().catch(() => {});
      await hsm.close();
    },
  };
}

/** The embedded targets' state in a work dir, opened read-only-ish for inspection after the CLI has exited. */
export class EmbeddedState {
  private constructor(
    readonly device: SoftwareYubiHsm,
    readonly kmsServer: KmsServer,
    readonly kms: AwsKms,
  ) {}

  static async open(workDir: string): Promise<EmbeddedState> {
    const paths = embeddedPaths(workDir);
    const state = loadStateFile(paths.hsmState);
    assert.ok(state, `no device state file at ${paths.hsmState}`);
    const device = new SoftwareYubiHsm({ state });
    const kmsServer = await startKmsServer({ host: '127.0.0.1', port: 0, dataDir: paths.kmsData });
    const cred = kmsServer.credentials[0];
    return new EmbeddedState(device, kmsServer, kmsClient(kmsServer.url, cred));
  }

  async session(): Promise<{ session: HsmSession; close(): Promise<void> }> {
    return openDeviceSession(this.device);
  }

  async close(): Promise<void> {
    this.kms.destroy();
    await this.kmsServer.close();
  }
}

export interface Expectation {
  keySpec: CeremonyKeySpec;
  usage?: KeyUsage;
  alias?: string;
  keyId?: number;
  wrapKeyId?: number;
}

export interface Found {
  kmsKey: KmsKey;
  ceremonyId: string;
  /** DER SPKI of the HSM key (asymmetric keys). */
  hsmSpki?: Uint8Array;
}

/**
 * Reality after a ceremony: exactly one KMS key carrying the ceremony tag, EXTERNAL, Enabled, of the right spec and
 * usage, with the alias on it and (asymmetric) GetPublicKey equal to the HSM public key; exactly one HSM object at
 * the key id and no public wrap key anywhere in the HSM.
 */
export async function assertCeremonyDone(kms: AwsKms, session: HsmSession, x: Expectation): Promise<Found> {
  const alias = x.alias ?? 'alias/key0x100';
  const keyId = x.keyId ?? 0x100;
  const spec = keySpecs[x.keySpec];
  const usage = x.usage ?? spec.usages[0];

  const tagged: Array<{ key: KmsKey; ceremonyId: string }> = [];
  for (const entry of await kms.listKeys()) {
    const key = await kms.describeKey(entry.keyId);
    const tag = (await kms.listResourceTags(entry.keyId)).find((t) => t.key === CEREMONY_TAG);
    if (tag) tagged.push({ key, ceremonyId: tag.value });
  }
  assert.equal(tagged.length, 1, `exactly one KMS key with the ${CEREMONY_TAG} tag, found ${tagged.map((t) => `${t.key.keyId} ${t.key.keyState}`).join(', ') || 'none'}`);
  const { key, ceremonyId } = tagged[0];
  assert.equal(key.keyState, 'Enabled');
  assert.equal(key.enabled, true);
  assert.equal(key.origin, 'EXTERNAL');
  assert.equal(key.keySpec, x.keySpec);
  assert.equal(key.keyUsage, usage);
  assert.equal(key.expirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
  const a = await kms.findAlias(alias);
  assert.equal(a?.targetKeyId, key.keyId, `${alias} points to the ceremony's key`);

  const atId = (await session.listObjects({ id: keyId })).filter((o) => o.type !== ObjectType.PUBLIC_WRAP_KEY);
  assert.equal(atId.length, 1, `exactly one HSM object at 0x${keyId.toString(16)}`);
  assert.equal(atId[0].type, spec.objectType);
  const wrapKeys = await session.listObjects({ type: ObjectType.PUBLIC_WRAP_KEY });
  assert.deepEqual(wrapKeys, [], 'no public wrap key left in the HSM');

  const found: Found = { kmsKey: key, ceremonyId };
  if (spec.objectType === ObjectType.ASYMMETRIC_KEY) {
    const hsm = await AsymmetricKey.from(session, keyId).getPublicKey();
    const kmsPub = await kms.getPublicKey(key.arn);
    assert.equal(Buffer.from(kmsPub.publicKey).toString('hex'), Buffer.from(hsm.spki).toString('hex'), 'KMS GetPublicKey equals the HSM public key');
    found.hsmSpki = hsm.spki;
  }
  return found;
}

/** Every regular file under `dir` (recursive), relative paths. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = join(prefix, e.name);
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

export function mode(path: string): number {
  return statSync(path).mode & 0o777;
}
