/**
 * A lock file holding its owner's pid, so one process at a time uses a resource (the ceremony's work dir, the state
 * file of `hsm serve`). It is created whole and exclusively (a temp file holding the pid, hard-linked to the lock's
 * name), so a process that looks at it never sees it empty. A lock left by a process that no longer runs (killed,
 * crashed) is taken over. Callers turn "held by pid N" into their own one-line error.
 */
import { closeSync, linkSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from '../crypto/random.js';

/** True when a process with this pid exists (ours to signal or not). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `taken`: ours until `release()` (idempotent). Otherwise held by `holder`, or changing hands while we tried. */
export type PidLock = { taken: true; release: () => void } | { taken: false; holder?: number };

function lockHolder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Creates `path` holding our pid, failing with EEXIST when it exists. */
function createExclusive(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Buffer.from(randomBytes(4)).toString('hex')}.tmp`);
  writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, path);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw e;
    // A file system without hard links (FAT on a USB stick): an exclusive create, then the pid.
  } finally {
    rmSync(tmp, { force: true });
  }
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

/**
 * Takes the lock file `path` (its directory must exist). Other file-system errors (EACCES, ENOTDIR...) are thrown
 * as they are.
 */
export function takePidLock(path: string): PidLock {
  const content = `${process.pid}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      createExclusive(path, content);
      let released = false;
      return {
        taken: true,
        release: () => {
          // Only our own lock is removed (not one somebody took over after removing ours by hand).
          if (!released && lockHolder(path) === process.pid) rmSync(path, { force: true });
          released = true;
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = lockHolder(path);
      if (pid !== undefined && processAlive(pid)) return { taken: false, holder: pid };
      rmSync(path, { force: true });
    }
  }
  return { taken: false };
}
