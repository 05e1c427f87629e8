/** Test helpers for the asymmetric crypto tests: vectors.json, an openssl runner and a self-cleaning temp dir. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadYubihsmVectors } from '../vectors/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadVectors(): any {
  return loadYubihsmVectors();
}

export function hexBytes(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** Runs openssl with `args`; returns stdout. Throws with stderr when it fails. */
export function openssl(args: string[], input?: Uint8Array): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs openssl and reports success instead of throwing. */
export function opensslOk(args: string[], input?: Uint8Array): { ok: boolean; stdout: string; stderr: string } {
  try {
    const out = execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
    return { ok: true, stdout: out.toString(), stderr: '' };
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    return { ok: false, stdout: err.stdout?.toString() ?? '', stderr: err.stderr?.toString() ?? '' };
  }
}

/** A temp dir for one test; `file(name, bytes)` writes into it, `cleanup()` removes it. */
export function tempDir(): { path: string; file(name: string, data: Uint8Array | string): string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), 'hsm2kms-crypto-'));
  return {
    path,
    file(name, data) {
      const p = join(path, name);
      writeFileSync(p, data, { mode: 0o600 });
      return p;
    },
    cleanup() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Asserts a thrown error carries `code` and a message matching `message`. */
export function isCoded(code: string, message?: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    const err = e as { code?: string; message?: string };
    if (err.code !== code) throw new Error(`expected code ${code}, got ${err.code}: ${err.message}`);
    if (message && !message.test(err.message ?? '')) throw new Error(`message "${err.message}" does not match ${message}`);
    return true;
  };
}
