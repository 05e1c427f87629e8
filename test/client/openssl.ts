/**
 * openssl (a tool we did not write) for cross-checks: runs in a private temp directory that `cleanup()` removes.
 * Files are written and read as bytes; commands get argv arrays (no shell).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class OpenSsl {
  readonly dir = mkdtempSync(join(tmpdir(), 'hsm2kms-client-'));

  path(name: string): string {
    return join(this.dir, name);
  }

  write(name: string, data: Uint8Array | string): string {
    const p = this.path(name);
    writeFileSync(p, data, { mode: 0o600 });
    return p;
  }

  read(name: string): Uint8Array {
    return new Uint8Array(readFileSync(this.path(name)));
  }

  /** Runs openssl; returns stdout (stderr included in the thrown error on failure). */
  run(...args: string[]): string {
    return execFileSync('openssl', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
