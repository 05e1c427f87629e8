/** `hsm2kms import`: the whole ceremony in one command (see src/ceremony/runner.ts). */
import { checkValidTo, withKmsEnvironment } from '../../ceremony/config.js';
import { CeremonyError, VerificationError } from '../../ceremony/errors.js';
import { passwordSources } from '../../ceremony/password.js';
import { makePlan } from '../../ceremony/plan.js';
import { runCeremony } from '../../ceremony/runner.js';
import { Hsm2KmsError, UsageError } from '../../errors.js';
import { checkAttestationCaFile, parseCeremonyArgs, CEREMONY_FLAGS_HELP } from '../ceremony-options.js';
import { ExitCode, type CliCommand, type CliIo } from '../command.js';
import { humanRenderer, jsonRenderer, simulationBanner } from '../render.js';

const HELP = `Usage: hsm2kms import [options]

Generates a key in a YubiHSM 2, creates an EXTERNAL-origin AWS KMS key, exports the key from the HSM wrapped for
KMS (RSA_AES_KEY_WRAP_SHA_256), imports it, verifies both ways, removes the wrap key from the HSM and writes a
transcript. Safe to re-run: after a crash or Ctrl-C the same command finishes the job (no second key, no leftover
wrap key). Without --connector/--usb and --kms it runs on the embedded software HSM and local KMS and says so.

${CEREMONY_FLAGS_HELP}
Behaviour:
  --dry-run                print the plan and exit; nothing is touched
  --json                   one JSON object per line: events, then the result or an error {type, code, message,
                           exitCode}
  --use-existing-key       import a key that already exists in the HSM at --key-id (not generated here)
  --allow-simulated-hsm    let a software YubiHSM 2 (the embedded one, or hsm2kms hsm serve behind --connector)
                           send a key to AWS or a non-local KMS endpoint; refused by default because simulator
                           keys are not protected
  --allow-local-kms        let a real YubiHSM 2 export its key to a local KMS (the embedded one, or an endpoint on
                           this machine); refused by default because a local KMS keeps the key material in a file

Exit codes: 0 done and verified; 1 failed (re-run to resume); 2 bad command line or ceremony file;
3 a verification did not hold; 4 pre-flight found a problem (nothing changed); 130 interrupted (re-run to resume).
Example:
  hsm2kms import --connector http://127.0.0.1:12345 --kms aws --region eu-west-1 \\
    --admin arn:aws:iam::111122223333:role/OrganizationAccountAccessRole --user arn:aws:iam::111122223333:role/OrganizationAccountAccessRole
`;

/**
 * Test hook for the crash tests (test/ceremony/crash.test.ts), not a user option: with HSM2KMS_TEST_CRASH_AT set to
 * a checkpoint name (`<step>:start`, `<step>:end`, `<step>:done`, or a point inside a step such as
 * `kms-create-key:after-create`), the process kills itself with SIGKILL when the ceremony reaches it, as a power cut
 * would: no clean-up, no final journal write. `<name>#<n>` kills on the n-th time the point is reached.
 */
export const TEST_CRASH_ENV = 'HSM2KMS_TEST_CRASH_AT';

function crashHook(env: NodeJS.ProcessEnv): ((name: string) => void) | undefined {
  const m = /^([^#]+)(?:#(\d+))?$/.exec(env[TEST_CRASH_ENV] ?? '');
  if (!m) return undefined;
  const [, at, nth] = m;
  let seen = 0;
  return (name) => {
    if (name === at && ++seen === Number(nth ?? 1)) process.kill(process.pid, 'SIGKILL');
  };
}

export function exitCodeFor(e: unknown): number {
  if (e instanceof VerificationError) return ExitCode.VERIFY_FAILED;
  // Ctrl-C between steps (CeremonyError) or at the password prompt (UsageError).
  if (e instanceof Hsm2KmsError && e.code === 'INTERRUPTED') return ExitCode.INTERRUPTED;
  if (e instanceof CeremonyError && e.preflight) return ExitCode.PREFLIGHT_FAILED;
  if (e instanceof Hsm2KmsError && e.side === 'usage') return ExitCode.USAGE;
  return ExitCode.FAILURE;
}

/** Reports an error as one line: JSON on stdout with --json, else on stderr; returns the exit code. */
function report(io: CliIo, json: boolean, e: Hsm2KmsError): number {
  const exitCode = exitCodeFor(e);
  if (json) io.stdout.write(JSON.stringify({ type: 'error', code: e.code, message: e.message, exitCode }) + '\n');
  else io.stderr.write(`hsm2kms import: ${e.message} [${e.code}]\n`);
  return exitCode;
}

export const command: CliCommand = {
  name: 'import',
  summary: 'run the whole ceremony: HSM key -> AWS KMS, verified both ways (embedded by default)',
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    // With --json (even on a command line that failed to parse), errors are a JSON line like every other outcome.
    let json = argv.includes('--json');
    let parsed;
    try {
      parsed = parseCeremonyArgs(argv, {
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        'use-existing-key': { type: 'boolean' },
        'allow-simulated-hsm': { type: 'boolean' },
        'allow-local-kms': { type: 'boolean' },
      });
      json = parsed.values.json === true;
      if (parsed.positionals.length) {
        // Not repeated: `hsm2kms import hunter2` is where a password typed in the wrong place ends up.
        throw new UsageError('CLI_UNEXPECTED_ARGUMENT', 'Unexpected argument #1 (not repeated, in case it is a secret): hsm2kms import takes no arguments, only options; run hsm2kms import --help.');
      }
      checkAttestationCaFile(parsed.config);
      if (parsed.values['dry-run']) {
        checkValidTo(parsed.config, new Date());
        // The plan names where requests really go (an AWS_ENDPOINT_URL* variable redirects --kms aws); a run gets
        // this from runCeremony.
        parsed = { ...parsed, config: withKmsEnvironment(parsed.config, io.env) };
      }
    } catch (e) {
      if (!(e instanceof Hsm2KmsError)) throw e;
      return report(io, json, e);
    }
    const { config, values } = parsed;
    if (values['dry-run']) {
      const plan = makePlan(config);
      if (json) io.stdout.write(JSON.stringify({ type: 'plan', ...plan }) + '\n');
      else {
        const banner = simulationBanner(plan.hsm, plan.kms, plan.simulated);
        if (banner) io.stdout.write(banner + '\n');
        io.stdout.write(`Plan (dry run, nothing is touched)\n  HSM  ${plan.hsm}\n  KMS  ${plan.kms}\n`);
        plan.steps.forEach((s, i) => io.stdout.write(`${String(i + 1).padStart(2)}. ${s.title}\n${s.details.map((d) => `      ${d}\n`).join('')}`));
      }
      return ExitCode.OK;
    }
    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      if (interrupts === 1) {
        controller.abort();
        io.stderr.write('\nhsm2kms: stopping after the current step (Ctrl-C again to stop at once; re-run to resume).\n');
      } else {
        // Stop at once, as an unhandled Ctrl-C does (exit status 130); the journal and the lock are taken up again
        // by the next run.
        process.off('SIGINT', onSigint);
        process.kill(process.pid, 'SIGINT');
      }
    };
    process.on('SIGINT', onSigint);
    const render = json ? jsonRenderer(io) : humanRenderer(io);
    const stdin = io.stdin as NodeJS.ReadStream;
    try {
      const result = await runCeremony({
        config,
        env: io.env,
        password: passwordSources(config, io.env, stdin.isTTY ? { input: stdin, output: io.stderr } : undefined),
        useExistingKey: values['use-existing-key'] === true,
        allowSimulatedHsm: values['allow-simulated-hsm'] === true,
        allowLocalKms: values['allow-local-kms'] === true,
        signal: controller.signal,
        onEvent: render,
        checkpoint: crashHook(io.env),
      });
      if (json) io.stdout.write(JSON.stringify({ type: 'result', ...result, plan: undefined }) + '\n');
      return ExitCode.OK;
    } catch (e) {
      if (e instanceof Hsm2KmsError) return report(io, json, e);
      // A bug: the JSON reader still gets its error line; main.ts reports it on stderr.
      if (json) io.stdout.write(JSON.stringify({ type: 'error', code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), exitCode: ExitCode.FAILURE }) + '\n');
      throw e;
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};
