/**
 * RSA wrapping key pairs for the embedded local KMS, kept between runs. Generating an RSA-4096 pair takes about a
 * second (up to several), and every embedded ceremony starts a fresh in-process KMS, so without this each run
 * would wait for one GetParametersForImport. KMS-SPEC 1.2 lets a KMS hand out a cached wrapping key; the embedded
 * KMS reuses one pair per size for up to 24 hours (one token lifetime), then makes a new one.
 *
 * Only the embedded target uses this (a simulation: its software HSM state file holds private keys in the clear
 * anyway). Files: `<cache dir>/embedded-kms-wrapping-rsa-<bits>.json`, mode 0600 in a 0700 directory, written
 * atomically. Cache dir: HSM2KMS_CACHE_DIR, else $XDG_CACHE_HOME/hsm2kms, else ~/.cache/hsm2kms. A damaged or
 * unwritable cache only costs time: the pair is generated as if there were no cache.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../crypto/digest.js';
import { takeBytes } from '../crypto/owned-bytes.js';
import { generateWrappingKeyPair, type WrappingKeyPair } from '../crypto/kms-import.js';
import type { WrappingKeySource } from '../kms/server/index.js';
import { writeFileAtomic } from '../util/atomic-file.js';

export const CACHE_DIR_ENV = 'HSM2KMS_CACHE_DIR';
const FORMAT = 'hsm2kms-embedded-kms-wrapping-key';
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function cacheDir(env: NodeJS.ProcessEnv): string {
  if (env[CACHE_DIR_ENV]) return env[CACHE_DIR_ENV]!;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'hsm2kms');
}

interface CacheFile {
  format: typeof FORMAT;
  bits: number;
  createdAt: string;
  pkcs8: string;
  spki: string;
  /** SHA-256 of pkcs8 ‖ spki, so a damaged file is regenerated rather than used. */
  sha256: string;
}

const b64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
function digestOf(pkcs8: Uint8Array, spki: Uint8Array): string {
  const both = Buffer.concat([pkcs8, spki]);
  try {
    return sha256Hex(both);
  } finally {
    both.fill(0);
  }
}

export class CachedWrappingKeys implements WrappingKeySource {
  constructor(
    private readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private path(bits: number): string {
    return join(this.dir, `embedded-kms-wrapping-rsa-${bits}.json`);
  }

  /**
   * The cached pair, if the file is ours: owned by this user and readable by nobody else. A file someone else could
   * have planted or read (a shared HSM2KMS_CACHE_DIR) would hand them the wrapping key, so it is not used.
   */
  private load(bits: number): WrappingKeyPair | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(this.path(bits), 'r');
      const st = fstatSync(fd);
      const uid = process.getuid?.();
      if (!st.isFile() || (st.mode & 0o077) !== 0 || (uid !== undefined && st.uid !== uid)) return undefined;
      const f = JSON.parse(readFileSync(fd, 'utf8')) as CacheFile;
      const age = this.now().getTime() - Date.parse(f.createdAt);
      if (f.format !== FORMAT || f.bits !== bits || !(age >= 0 && age < MAX_AGE_MS)) return undefined;
      const pkcs8 = takeBytes(Buffer.from(f.pkcs8, 'base64'));
      const spki = new Uint8Array(Buffer.from(f.spki, 'base64'));
      if (digestOf(pkcs8, spki) === f.sha256) return { pkcs8, spki };
      pkcs8.fill(0);
      return undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  async take(bits: number): Promise<WrappingKeyPair> {
    const cached = this.load(bits);
    if (cached) return cached;
    const pair = await generateWrappingKeyPair(bits);
    const file: CacheFile = {
      format: FORMAT, bits, createdAt: this.now().toISOString(), pkcs8: b64(pair.pkcs8), spki: b64(pair.spki), sha256: digestOf(pair.pkcs8, pair.spki),
    };
    try {
      writeFileAtomic(this.path(bits), JSON.stringify(file) + '\n', { mode: 0o600 });
    } catch {
      // An unwritable cache only means the next run generates again.
    }
    return pair;
  }

  async close(): Promise<void> {}
}
