/**
 * `hsm2kms kms serve`: runs the local AWS-KMS-compatible server (src/kms/server) until SIGINT/SIGTERM.
 */
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import { DEFAULT_LOCAL_CREDENTIALS, startKmsServer, type KmsServerCredential } from '../../kms/server/index.js';
import { ExitCode, type CliCommand, type CliIo } from '../command.js';
import { isLoopbackHost, parseListen, waitForStopSignal, unknownArgument } from '../serve-util.js';

const DEFAULT_PORT = 4599;

const HELP = `Usage: hsm2kms kms serve [--listen HOST:PORT] [--data DIR] [--credentials FILE] [--allow-remote] [--log-requests]

Runs a local server that speaks the AWS KMS API (AWS JSON 1.1, SigV4), so the AWS CLI, boto3 and every AWS SDK work
against it with an endpoint override. Imported key material is really unwrapped and checked.

Options:
  --listen HOST:PORT   address to listen on (default 127.0.0.1:${DEFAULT_PORT}; port 0 picks a free port).
                       Anything other than a loopback address is refused unless --allow-remote is given.
  --allow-remote       allow a non-loopback --listen address (without --credentials, anyone who reaches it can use
                       AWS's published example keys)
  --data DIR           keep keys and imported material in DIR/kms.sqlite (mode 0600); default: in memory only
  --credentials FILE   JSON array of {"accessKeyId", "secretAccessKey", "accountId"}, mode 0600 (chmod 600 FILE;
                       refused otherwise); default: AWS's documented example keys, printed at start
  --log-requests       one line per request on stderr

The Region is taken from each request's SigV4 credential scope. Stop with Ctrl-C.
Example:
  AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=... AWS_REGION=us-east-1 \\
    aws kms list-keys --endpoint-url http://127.0.0.1:${DEFAULT_PORT}
`;

interface Options {
  host: string;
  port: number;
  allowRemote: boolean;
  dataDir?: string;
  credentialsFile?: string;
  logRequests: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { host: '127.0.0.1', port: DEFAULT_PORT, allowRemote: false, logRequests: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError('CLI_MISSING_VALUE', `${arg} needs a value; see hsm2kms kms serve --help.`);
      return v;
    };
    if (arg === '--listen') Object.assign(opts, parseListen(value(), DEFAULT_PORT));
    else if (arg === '--data') opts.dataDir = value();
    else if (arg === '--credentials') opts.credentialsFile = value();
    else if (arg === '--log-requests') opts.logRequests = true;
    else if (arg === '--allow-remote') opts.allowRemote = true;
    else throw unknownArgument(arg, 'kms serve');
  }
  // As hsm serve: a rehearsal server whose default access keys are published is for this machine only.
  if (!opts.allowRemote && !isLoopbackHost(opts.host)) {
    throw new UsageError(
      'CLI_REMOTE_LISTEN',
      `--listen ${opts.host} is not a loopback address; the local KMS accepts AWS's published example keys, so add --allow-remote (and --credentials FILE) only on a closed test network.`,
    );
  }
  return opts;
}

function readCredentials(file: string): KmsServerCredential[] {
  let text: string;
  try {
    // Secret access keys, as the HSM password file: refused when the group or others can open it.
    const st = statSync(file);
    if (st.isFile() && (st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw new UsageError('CLI_CREDENTIALS_FILE_MODE', `--credentials ${file} holds secret access keys but has mode ${mode} (open to group or others); run: chmod 600 ${file}`);
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError('CLI_BAD_CREDENTIALS_FILE', `Cannot read --credentials ${file} (${code}); ${code === 'ENOENT' ? 'check the path' : code === 'EISDIR' ? 'give the JSON file, not a directory' : 'check its owner and mode'}.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // The parser's message quotes the text, which may hold a secret access key: only its position is kept.
    const at = /position \d+/.exec((err as Error).message)?.[0];
    throw new UsageError('CLI_BAD_CREDENTIALS_FILE', `--credentials ${file} is not valid JSON${at ? ` (at ${at})` : ''}; it must hold a JSON array of {"accessKeyId", "secretAccessKey", "accountId"} objects.`);
  }
  const ok = Array.isArray(parsed) && parsed.every((c) => c !== null && typeof c === 'object'
    && typeof c.accessKeyId === 'string' && typeof c.secretAccessKey === 'string' && typeof c.accountId === 'string');
  if (!ok) {
    throw new UsageError('CLI_BAD_CREDENTIALS_FILE',
      `--credentials ${file} must hold a JSON array of {"accessKeyId", "secretAccessKey", "accountId"} objects.`);
  }
  return parsed as KmsServerCredential[];
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const opts = parseArgs(argv);
  const credentials = opts.credentialsFile ? readCredentials(opts.credentialsFile) : DEFAULT_LOCAL_CREDENTIALS;
  const log = (line: string): void => { io.stderr.write(line + '\n'); };
  const server = await startKmsServer({
    host: opts.host, port: opts.port, dataDir: opts.dataDir, credentials, log, logRequests: opts.logRequests,
  });
  const lines = [
    `hsm2kms local KMS listening on ${server.url} (${server.databasePath ? `data: ${server.databasePath}` : 'in memory, nothing is kept'})`,
    'Access keys (any Region; the account follows the key):',
  ];
  for (const c of credentials) {
    const secret = opts.credentialsFile ? '(from the credentials file)' : c.secretAccessKey;
    lines.push(`  ${c.accessKeyId}  ${secret}  account ${c.accountId}`);
  }
  lines.push(`Use with: aws kms list-keys --endpoint-url ${server.url}`);
  // Ctrl-C is caught before the banner is out: a script that waits for it and then stops the server gets a clean stop.
  const stop = waitForStopSignal();
  io.stdout.write(lines.join('\n') + '\n');
  await stop;
  await server.close();
  io.stdout.write(server.databasePath ? `Stopped; keys kept in ${server.databasePath}.\n` : 'Stopped; the keys were in memory only and are gone.\n');
  return ExitCode.OK;
}

export const command: CliCommand = {
  name: 'kms serve',
  summary: 'run the local AWS-KMS-compatible server (the AWS CLI and SDKs work against it with --endpoint-url)',
  help: HELP,
  run,
};
