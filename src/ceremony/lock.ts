/**
 * One ceremony at a time per work dir: an exclusive lock file holding the owner's pid. A lock left by a process
 * that no longer exists (killed, crashed) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CeremonyError } from './errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireLock(workDir: string): () => void {
  const path = join(workDir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return () => {
        if (!released) rmSync(path, { force: true });
        released = true;
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(pid) && alive(pid)) {
        throw new CeremonyError('CEREMONY_LOCKED', `Another hsm2kms (pid ${pid}) is running a ceremony in ${workDir}; wait for it to finish.`, { preflight: true });
      }
      rmSync(path, { force: true });
    }
  }
  throw new CeremonyError('CEREMONY_LOCKED', `Cannot take the lock ${path}; remove it if no hsm2kms is running.`, { preflight: true });
}
