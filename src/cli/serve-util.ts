/** What the long-running `serve` commands (`hsm serve`, `kms serve`) share: the listen address and the wait for Ctrl-C. */
import { isIP } from 'node:net';
import { UsageError } from '../errors.js';

/** Parses `--listen HOST:PORT` (`[v6]:PORT` for IPv6); `defaultPort` only shapes the example in the error message. */
export function parseListen(value: string, defaultPort: number): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new UsageError('CLI_BAD_LISTEN', `--listen "${value}" must be HOST:PORT, e.g. 127.0.0.1:${defaultPort}.`);
  }
  return { host: m[1] ?? m[2], port };
}

/** True for `localhost`, 127.0.0.0/8 and ::1 (the addresses only this machine can reach). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** Resolves on the first SIGINT or SIGTERM, then stops listening for both. */
export function waitForStopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
