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

/**
 * The error for an argument a serve command does not know. An option is named without any `=value`, and anything
 * else is not repeated at all: a password typed in the wrong place must not be echoed back.
 */
export function unknownArgument(arg: string, command: string): UsageError {
  const option = /^--?[A-Za-z][\w-]*/.exec(arg)?.[0];
  return option !== undefined
    ? new UsageError('CLI_UNKNOWN_OPTION', `Unknown option "${option}"; run with --help for the options.`)
    : new UsageError('CLI_UNKNOWN_OPTION', `Unexpected argument (not repeated, in case it is a secret): hsm2kms ${command} takes only options; see hsm2kms ${command} --help.`);
}
