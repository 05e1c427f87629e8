/**
 * Atomic file replacement: write a temp file in the same directory (mode 0600 by default), fsync it, rename it
 * over the target, fsync the directory. A crash leaves either the old file or the new one, never half of one.
 * Shared by everything that writes state: journals, transcripts, bundles, device state files.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from '../crypto/random.js';

export interface AtomicWriteOptions {
  /** File mode; 0o600 unless the content is public (e.g. a public key: 0o644). */
  mode?: number;
}

export function writeFileAtomic(path: string, data: Uint8Array | string, opts: AtomicWriteOptions = {}): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Buffer.from(randomBytes(4)).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', opts.mode ?? 0o600);
  // The UTF-8 copy of a string is ours: it is zeroed once written (state files hold keys in hex or base64).
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    if (buf !== data) buf.fill(0);
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Directory fsync is best effort (not supported on every filesystem).
  }
}
