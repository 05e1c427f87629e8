/**
 * `hsm2kms hsm serve`: runs the software YubiHSM 2 (src/simulator) behind the yubihsm-connector HTTP API until
 * SIGINT/SIGTERM, optionally keeping its state in a file. A simulator for rehearsal and tests, not an HSM.
 */
import { UsageError } from '../../errors.js';
import { SoftwareYubiHsm } from '../../simulator/device.js';
import { startConnectorServer, DEFAULT_CONNECTOR_PORT } from '../../simulator/connector-server.js';
import { loadStateFile, lockStateFile, saveStateFile } from '../../simulator/persistence.js';
import { ExitCode, type CliCommand, type CliIo } from '../command.js';
import { isLoopbackHost, parseListen, waitForStopSignal, unknownArgument } from '../serve-util.js';

const HELP = `Usage: hsm2kms hsm serve [--listen HOST:PORT] [--state FILE] [--serial N] [--command-audit] [--allow-remote]
                         [--log-requests]

Runs a software YubiHSM 2 (firmware 2.4) behind the same HTTP API as yubihsm-connector, so yubihsm-shell,
python-yubihsm and hsm2kms itself can use it unchanged (connector URL http://HOST:PORT).

THIS IS A SIMULATOR FOR REHEARSAL AND TESTS, NOT AN HSM: keys live in this process's memory and, with --state,
in clear in a file. Never put real key material into it.

A new device starts in the factory state: authentication key 1 with the password "password".

Options:
  --listen HOST:PORT  address to listen on (default 127.0.0.1:${DEFAULT_CONNECTOR_PORT}; port 0 picks a free port).
                      Anything other than a loopback address is refused unless --allow-remote is given.
  --allow-remote      allow a non-loopback --listen address (anyone who reaches it can use the default password)
  --state FILE        keep the device (keys, options, audit log, identity) in FILE, written atomically with
                      mode 0600 after every change and on shutdown; a missing FILE starts a new device; one
                      server per FILE (FILE.lock holds its pid while it runs, a second server is refused)
  --serial N          serial number of a new device (default: random); must match FILE's device if both are given
  --command-audit     a new device logs every command in its audit log (firmware 2.4 ships with this off)
  --log-requests      one line per refused or failed HTTP request on stderr

Stop with Ctrl-C (the state is flushed first).
Example:
  hsm2kms hsm serve --state ./rehearsal-hsm.json
  yubihsm-shell --connector http://127.0.0.1:${DEFAULT_CONNECTOR_PORT} -a get-device-info
`;

interface Options {
  host: string;
  port: number;
  allowRemote: boolean;
  stateFile?: string;
  serial?: number;
  commandAudit: boolean;
  logRequests: boolean;
}

function parseSerial(value: string): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) < 1 || Number(value) > 0xffffffff) {
    throw new UsageError('CLI_BAD_SERIAL', `--serial "${value}" must be a decimal number from 1 to 4294967295.`);
  }
  return Number(value);
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { host: '127.0.0.1', port: DEFAULT_CONNECTOR_PORT, allowRemote: false, commandAudit: false, logRequests: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError('CLI_MISSING_VALUE', `${arg} needs a value; see hsm2kms hsm serve --help.`);
      return v;
    };
    if (arg === '--listen') Object.assign(opts, parseListen(value(), DEFAULT_CONNECTOR_PORT));
    else if (arg === '--state') opts.stateFile = value();
    else if (arg === '--serial') opts.serial = parseSerial(value());
    else if (arg === '--allow-remote') opts.allowRemote = true;
    else if (arg === '--command-audit') opts.commandAudit = true;
    else if (arg === '--log-requests') opts.logRequests = true;
    else throw unknownArgument(arg, 'hsm serve');
  }
  if (!opts.allowRemote && !isLoopbackHost(opts.host)) {
    throw new UsageError(
      'CLI_REMOTE_LISTEN',
      `--listen ${opts.host} is not a loopback address; the simulator accepts the default password, so add --allow-remote only on a closed test network.`,
    );
  }
  return opts;
}

/** Takes the lock of --state FILE: a second server on the same file is refused (SIM_STATE_IN_USE). */
function lockState(stateFile: string): () => void {
  try {
    return lockStateFile(stateFile);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError('CLI_STATE_UNWRITABLE', `Cannot write --state ${stateFile} (${(e as NodeJS.ErrnoException).code ?? 'error'}); choose a file in a writable directory.`);
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const opts = parseArgs(argv);
  // Taken before the file is read, held until the last save after Ctrl-C/SIGTERM; a kill -9 leaves a lock that the
  // next start takes over (its pid no longer runs).
  const release = opts.stateFile ? lockState(opts.stateFile) : undefined;
  try {
    return await serve(opts, io);
  } finally {
    release?.();
  }
}

async function serve(opts: Options, io: CliIo): Promise<number> {
  const state = opts.stateFile ? loadStateFile(opts.stateFile) : undefined;
  if (state && opts.serial !== undefined && state.identity.serial !== opts.serial) {
    throw new UsageError(
      'CLI_SERIAL_MISMATCH',
      `--serial ${opts.serial} differs from the serial ${state.identity.serial} of the device in ${opts.stateFile}; drop --serial or use another --state file.`,
    );
  }
  const warn = (line: string): void => {
    io.stderr.write(line + '\n');
  };
  const stateFile = opts.stateFile;
  let persistWarned = false;
  // The last save's failure, if the state file could not be written since (cleared by a save that works).
  let saveError: unknown;
  let started = false;
  const device = new SoftwareYubiHsm({
    state,
    serial: opts.serial,
    commandAuditDefault: opts.commandAudit ? 1 : 0,
    onStateChange: stateFile
      ? (s) => {
          try {
            saveStateFile(stateFile, s);
            saveError = undefined;
          } catch (e) {
            saveError = e;
            throw e;
          }
        }
      : undefined,
    onInternalError: (e, where) => {
      if (where === 'persisting the state') {
        if (!started) return; // refused below with one line
        if (!persistWarned) warn(`hsm serve: cannot write ${stateFile} (${(e as Error)?.message ?? e}); changes are kept in memory and retried.`);
        persistWarned = true;
        return;
      }
      warn(`hsm serve: internal error in ${where} answered with INVALID_DATA: ${(e as Error)?.message ?? e}`);
    },
  });
  await device.flush();
  if (saveError !== undefined) {
    // A state file that cannot be written at start never will be: refuse rather than serve keys that are not kept.
    throw new UsageError('CLI_STATE_UNWRITABLE', `Cannot write --state ${stateFile} (${(saveError as NodeJS.ErrnoException).code ?? 'error'}); choose a file in a writable directory.`);
  }
  started = true;
  const server = await startConnectorServer({
    handler: (frame) => device.handle(frame),
    host: opts.host,
    port: opts.port,
    log: opts.logRequests ? warn : undefined,
  });
  // Ctrl-C is caught before the banner is out: a script that waits for it and then stops the server gets a clean stop.
  const stop = waitForStopSignal();
  io.stdout.write(
    [
      `hsm2kms software YubiHSM 2 (firmware 2.4.0, serial ${device.serial}) at ${server.url}`,
      'NOTICE: this is a simulator for rehearsal and tests, not an HSM; keys are held in clear' +
        (stateFile ? ` in memory and in ${stateFile}.` : ' in memory only (nothing is kept).'),
      state ? 'Restored from the state file.' : 'Factory state: authentication key 1, password "password".',
      `Use with: yubihsm-shell --connector ${server.url}   or   hsm2kms ... --connector ${server.url}`,
    ].join('\n') + '\n',
  );
  await stop;
  await server.close();
  await device.flush();
  if (stateFile && saveError !== undefined) {
    io.stderr.write(`hsm serve: stopped, but the state could not be saved in ${stateFile} (${(saveError as NodeJS.ErrnoException).code ?? 'error'}); the changes since the last successful save are lost.\n`);
    return ExitCode.FAILURE;
  }
  io.stdout.write(stateFile ? `Stopped; state saved in ${stateFile}.\n` : 'Stopped.\n');
  return ExitCode.OK;
}

export const command: CliCommand = {
  name: 'hsm serve',
  summary: 'run a software YubiHSM 2 behind the yubihsm-connector API (a simulator for rehearsal and tests, not an HSM)',
  help: HELP,
  run,
};
