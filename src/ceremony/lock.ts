/**
 * One ceremony at a time per work dir: an exclusive lock file holding the owner's pid. A lock left by a process
 * that no longer exists (killed, crashed) is taken over.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive as alive, takePidLock } from '../util/pid-lock.js';
import { CeremonyError } from './errors.js';

export function acquireLock(workDir: string): () => void {
  const path = join(workDir, 'lock');
  const lock = takePidLock(path);
  if (lock.taken) return lock.release;
  if (lock.holder !== undefined) {
    throw new CeremonyError('CEREMONY_LOCKED', `Another hsm2kms (pid ${lock.holder}) is running a ceremony in ${workDir}; wait for it to finish (if no hsm2kms is running, remove ${path}).`, { preflight: true });
  }
  throw new CeremonyError('CEREMONY_LOCKED', `Cannot take the lock ${path}; remove it if no hsm2kms is running.`, { preflight: true });
}

/** Temp files of writeFileAtomic (`.<name>.<pid>.<8 hex>.tmp`). */
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temp files a killed process left behind while replacing a file atomically (the real file is whole:
 * the old or the new version). Only files of processes that no longer run are removed; call with the lock held.
 */
export function sweepStaleTempFiles(dirs: string[]): void {
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = TEMP_FILE.exec(name);
      if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
      try {
        rmSync(join(dir, name), { force: true });
      } catch {
        // Left for the next run; the real file is whole either way.
      }
    }
  }
}
