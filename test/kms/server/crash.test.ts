/**
 * Durability: `hsm2kms kms serve --data DIR` as a child process, concurrent CreateKey/GetParametersForImport/
 * ImportKeyMaterial/TagResource/Sign from several clients, SIGKILL while requests are in flight, restart on the
 * same directory: every acknowledged key, import and tag is there, each imported key still signs with the same
 * public key, and the database files are mode 0600 in a 0700 directory.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import {
  CreateKeyCommand, DescribeKeyCommand, GetPublicKeyCommand, KMSClient, ListResourceTagsCommand, SignCommand, TagResourceCommand,
} from '@aws-sdk/client-kms';
import { DEFAULT_LOCAL_CREDENTIALS } from '../../../src/kms/server/index.js';
import { asymmetricMaterial, importMaterial } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');
const root = fromSource ? resolve(here, '../../..') : resolve(here, '../../../..');

let dir: string | undefined;
const children: ChildProcess[] = [];

after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Starts the CLI server on a free port; resolves with its URL once it listens. */
function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const args = fromSource
    ? ['--import', 'tsx', join(root, 'src/cli/main.ts')]
    : [join(root, 'dist/src/cli/main.js')];
  const child = spawn(process.execPath, [...args, 'kms', 'serve', '--listen', '127.0.0.1:0', '--data', dataDir], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH },
  });
  children.push(child);
  return new Promise((resolve_, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve_({ child, url: m[1] });
    });
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${err}`)));
  });
}

function client(url: string): KMSClient {
  const c = DEFAULT_LOCAL_CREDENTIALS[0];
  return new KMSClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }, maxAttempts: 1 });
}

interface Acked {
  keyId: string;
  spki?: Buffer;
  tags: string[];
}

describe('crash safety', () => {
  it('SIGKILL mid-flight loses no acknowledged key, import or tag', { timeout: 240_000, skip: !fromSource && !existsSync(join(root, 'dist/src/cli/main.js')) && 'build first (npm test does)' }, async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    dir = mkdtempSync(join(tmpdir(), 'hsm2kms-crash-'));
    const data = join(dir, 'kms-data');
    const first = await serve(data);
    const kms = client(first.url);
    const acked = new Map<string, Acked>();
    let imports = 0;
    let signs = 0;
    let stop = false;
    let killed = false;
    // A request that fails before the kill is a server fault, not the crash: collected and asserted empty below.
    const failures: string[] = [];
    const failed = (what: string, err: unknown): void => {
      if (!killed) failures.push(`${what}: ${(err as Error).name}: ${(err as Error).message}`);
    };

    const importer = async (): Promise<void> => {
      while (!stop) {
        try {
          const md = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' }))).KeyMetadata;
          const entry: Acked = { keyId: md?.KeyId as string, tags: [] };
          acked.set(entry.keyId, entry);
          const { pkcs8, spki } = asymmetricMaterial('ECC_NIST_P256');
          await importMaterial(kms, entry.keyId, pkcs8);
          entry.spki = spki;
          imports++;
        } catch (err) {
          failed('import', err);
          return; // the server died under us
        }
      }
    };
    const tagger = async (): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const keys = [...acked.values()];
        if (keys.length === 0) { await new Promise((r) => setTimeout(r, 20)); continue; }
        const k = keys[i % keys.length];
        try {
          await kms.send(new TagResourceCommand({ KeyId: k.keyId, Tags: [{ TagKey: `t${i}`, TagValue: String(i) }] }));
          k.tags.push(`t${i}`);
        } catch (err) {
          failed('tag', err);
          return;
        }
      }
    };
    const signer = async (): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const keys = [...acked.values()].filter((k) => k.spki);
        if (keys.length === 0) { await new Promise((r) => setTimeout(r, 20)); continue; }
        try {
          await kms.send(new SignCommand({ KeyId: keys[i % keys.length].keyId, Message: Buffer.from(`m${i}`), SigningAlgorithm: 'ECDSA_SHA_256' }));
          signs++;
        } catch (err) {
          failed('sign', err);
          return;
        }
      }
    };
    const workers = [importer(), importer(), importer(), tagger(), tagger(), signer(), signer()];
    while (imports < 12 && failures.length === 0) await new Promise((r) => setTimeout(r, 10));
    killed = true;
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    kms.destroy();
    assert.deepEqual(failures, [], 'no request failed before the kill');
    assert.ok(signs > 0, 'signing ran concurrently');

    assert.equal(statSync(data).mode & 0o777, 0o700);
    for (const f of ['kms.sqlite', 'kms.sqlite-wal']) {
      if (existsSync(join(data, f))) assert.equal(statSync(join(data, f)).mode & 0o777, 0o600, f);
    }

    const second = await serve(data);
    const again = client(second.url);
    try {
      for (const k of acked.values()) {
        const md = (await again.send(new DescribeKeyCommand({ KeyId: k.keyId }))).KeyMetadata;
        assert.equal(md?.KeyId, k.keyId);
        const tags = (await again.send(new ListResourceTagsCommand({ KeyId: k.keyId }))).Tags?.map((x) => x.TagKey) ?? [];
        for (const tag of k.tags) assert.ok(tags.includes(tag), `tag ${tag} of ${k.keyId} survived`);
        if (!k.spki) continue;
        assert.equal(md?.KeyState, 'Enabled', `imported key ${k.keyId} is still Enabled`);
        const pub = await again.send(new GetPublicKeyCommand({ KeyId: k.keyId }));
        assert.deepEqual(Buffer.from(pub.PublicKey as Uint8Array), k.spki);
        const sig = await again.send(new SignCommand({ KeyId: k.keyId, Message: Buffer.from('after restart'), SigningAlgorithm: 'ECDSA_SHA_256' }));
        assert.ok(verify('sha256', Buffer.from('after restart'), { key: createPublicKey({ key: k.spki, format: 'der', type: 'spki' }), dsaEncoding: 'der' },
          Buffer.from(sig.Signature as Uint8Array)));
      }
    } finally {
      again.destroy();
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
    assert.ok(imports >= 12);
  });
});
