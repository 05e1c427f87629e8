#!/usr/bin/env node
/** hsm2kms command-line entry point: the only place that prints usage errors and calls process.exit. */
import { fileSystemError } from '../ceremony/fs-errors.js';
import { PASSWORD_ENV } from '../ceremony/password.js';
import { Hsm2KmsError } from '../errors.js';
import { ExitCode, type CliIo } from './command.js';
import { registry } from './registry.js';

const SUMMARY = 'hsm2kms: move a key generated in a YubiHSM 2 into AWS KMS (bring your own key), verified both ways.';

function makeIo(): CliIo {
  const isTTY = Boolean(process.stdout.isTTY);
  // The commands read the environment from io.env; the HSM password leaves process.env, so that no child process
  // (an AWS credential_process the SDK runs, for one) inherits it.
  const env = { ...process.env };
  delete process.env[PASSWORD_ENV];
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env,
    isTTY,
    color: isTTY && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb',
  };
}

async function usage(io: CliIo, out: NodeJS.WritableStream = io.stdout): Promise<void> {
  const lines = [SUMMARY, '', 'Usage: hsm2kms <command> [options]   (hsm2kms <command> --help for details)', ''];
  for (const entry of registry) {
    const cmd = await entry.load();
    lines.push(`  ${cmd.name.padEnd(20)} ${cmd.summary}`);
  }
  out.write(lines.join('\n') + '\n');
}

/** The command being run (`hsm serve`), for the prefix of an error it throws: `hsm2kms hsm serve: ...`. */
let running: string | undefined;

async function main(argv: string[]): Promise<number> {
  // A reader that goes away (`hsm2kms import | head`) must not crash a ceremony half-way: its output is dropped and
  // the command runs to its end (the exit code still says how it went).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
  const io = makeIo();
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    await usage(io);
    return ExitCode.OK;
  }
  if (argv.length === 0) {
    // No command is a bad command line (exit 2, as `hsm2kms hsm` alone): the list goes to stderr.
    await usage(io, io.stderr);
    return ExitCode.USAGE;
  }
  if (argv[0] === '--version') {
    io.stdout.write('hsm2kms 0.1.0\n');
    return ExitCode.OK;
  }
  // Longest match first: `kms serve` before `kms`.
  const sorted = [...registry].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const entry of sorted) {
    const words = entry.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) {
      const cmd = await entry.load();
      const rest = argv.slice(words.length);
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout.write(cmd.help.endsWith('\n') ? cmd.help : cmd.help + '\n');
        return ExitCode.OK;
      }
      running = cmd.name;
      return cmd.run(rest, io);
    }
  }
  // A group word alone (`hsm2kms hsm`, `hsm2kms kms foo`) names its commands; anything else is one unknown word.
  const group = registry.map((e) => e.name.split(' ')).filter((w) => w.length > 1 && w[0] === argv[0]).map((w) => w[1]);
  if (group.length > 0 && (argv[1] === '--help' || argv[1] === '-h')) {
    const lines = [`Usage: hsm2kms ${argv[0]} <command> [options]   (hsm2kms ${argv[0]} <command> --help for details)`, ''];
    for (const entry of registry.filter((e) => e.name.startsWith(`${argv[0]} `))) {
      const cmd = await entry.load();
      lines.push(`  ${cmd.name.padEnd(20)} ${cmd.summary}`);
    }
    io.stdout.write(lines.join('\n') + '\n');
    return ExitCode.OK;
  }
  if (group.length > 0) {
    const what = argv[1] === undefined || argv[1].startsWith('-') ? 'needs a command' : `has no command "${argv[1]}"`;
    io.stderr.write(`hsm2kms: "${argv[0]}" ${what}: one of ${group.join(', ')} (e.g. hsm2kms ${argv[0]} ${group[0]} --help).\n`);
    return ExitCode.USAGE;
  }
  io.stderr.write(`hsm2kms: unknown command "${argv[0]}"; run "hsm2kms --help" for the list.\n`);
  return ExitCode.USAGE;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (caught: unknown) => {
    // A read-only or full disk is the user's to fix: one line naming the file, not "internal error".
    const err = fileSystemError(caught, 'choose another path') ?? caught;
    if (err instanceof Hsm2KmsError) {
      process.stderr.write(`hsm2kms${running ? ` ${running}` : ''}: ${err.message} [${err.code}]\n`);
      process.exitCode = err.side === 'usage' ? ExitCode.USAGE : ExitCode.FAILURE;
    } else {
      // A bug, not a user error: one line, and the stack only when asked for.
      const debug = Boolean(process.env.HSM2KMS_DEBUG);
      const what = err instanceof Error ? (debug ? err.stack ?? err.message : err.message.split('\n')[0]) : String(err);
      process.stderr.write(`hsm2kms: internal error: ${what}; please report it${debug ? '' : ' (HSM2KMS_DEBUG=1 shows where it happened)'}.\n`);
      process.exitCode = ExitCode.FAILURE;
    }
  },
);
