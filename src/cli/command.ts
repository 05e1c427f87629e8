/**
 * The shape of one CLI command. Commands live in `src/cli/commands/<group>-<verb>.ts`, each exporting
 * `command: CliCommand`, and are listed in `src/cli/registry.ts`. Only `main.ts` calls process.exit.
 */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** True when stdout is a terminal (progress display, colour unless NO_COLOR). */
  isTTY: boolean;
  /** Colour allowed: a terminal and no NO_COLOR. */
  color: boolean;
}

export interface CliCommand {
  /** Words that select the command, e.g. `kms serve`. */
  readonly name: string;
  /** One line for `hsm2kms --help`. */
  readonly summary: string;
  /** Full help text for `hsm2kms <name> --help`. */
  readonly help: string;
  /** Runs the command and resolves with the exit code (see ExitCode). Long-running servers resolve on shutdown. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Documented exit codes. */
export const ExitCode = {
  OK: 0,
  /** The operation failed (device, KMS, I/O). */
  FAILURE: 1,
  /** Bad command line, bad option value, bad input file. */
  USAGE: 2,
  /** A verification (signature, hash, fingerprint, transcript) did not hold. */
  VERIFY_FAILED: 3,
  /** Pre-flight found a problem; nothing was changed. */
  PREFLIGHT_FAILED: 4,
  /** Interrupted (Ctrl-C); re-run the same command to resume. */
  INTERRUPTED: 130,
} as const;
