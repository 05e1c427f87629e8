/**
 * What every seed-step command (`hsm generate`, `kms create`, ...) and air-gap command (`prepare`, `wrap`,
 * `complete`) shares: the import command's flags and configuration schema, opening only the targets the command
 * uses (src/ceremony/manual/open.ts), the SIMULATION notice on stderr when a used target is embedded, and one-line
 * errors `hsm2kms <command>: <message> [CODE]` with the import command's exit codes.
 */
import type { CeremonyContext } from '../ceremony/context.js';
import { defaultConfig, type CeremonyConfig } from '../ceremony/config.js';
import { openStep, type StepNeeds } from '../ceremony/manual/open.js';
import { fileSystemError } from '../ceremony/fs-errors.js';
import { passwordSources } from '../ceremony/password.js';
import { Hsm2KmsError, UsageError } from '../errors.js';
import { checkAttestationCaFile, parseCeremonyArgs } from './ceremony-options.js';
import type { CliIo } from './command.js';
import { exitCodeFor } from './commands/import.js';
import { simulationBanner } from './render.js';
import { sessionLostAsRerun } from '../ceremony/errors.js';

type Flag = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };
type Values = Record<string, string | boolean | string[] | undefined>;

export interface StepArgs {
  values: Values;
  positionals: string[];
  /** The user named --key-spec (on the command line or in the ceremony file). */
  explicitSpec: boolean;
  config: CeremonyConfig;
}

export interface StepCommandSpec {
  /** Words of the command, e.g. `hsm generate`. */
  name: string;
  need: StepNeeds;
  extra?: Record<string, Flag>;
  /** Names of the positional arguments, in order (optional unless `required`). */
  positionals?: string[];
  /** The first positional is required: what to say when it is missing (checked before any target is opened). */
  required?: string;
  /** The command checks --attestation-ca (wrap, complete); the others refuse the flag rather than ignore it. */
  checksAttestationCa?: boolean;
  /** Where files go without --out: `cwd` for the seed steps (the guide's files sit side by side), else the config's. */
  outDefault: 'cwd' | 'config';
  /**
   * Reads or checks the input files named on the command line before any target is opened, throwing the error the
   * command would, so that a mistyped path leaves nothing behind (no work dir, no embedded device or KMS state).
   */
  check?(args: StepArgs): void;
  /** Runs with the opened context (undefined when the command needs no target). Returns the exit code. */
  run(ctx: CeremonyContext | undefined, args: StepArgs, io: CliIo): Promise<number>;
}

export function keyRefOf(args: StepArgs): string {
  return typeof args.values.key === 'string' ? args.values.key : args.config.kms.alias;
}

export function stepCommand(spec: StepCommandSpec): (argv: string[], io: CliIo) => Promise<number> {
  return async (argv, io) => {
    let close: (() => Promise<void>) | undefined;
    // Ctrl-C stops at once, as before, but says what to do: every step re-checks the HSM and KMS before acting, and
    // the work dir's lock of a process that is gone is taken over by the next run.
    const onSigint = (): void => {
      process.off('SIGINT', onSigint);
      io.stderr.write(`\nhsm2kms ${spec.name}: interrupted; run the same command again to finish (it re-checks the HSM and KMS first).\n`);
      process.kill(process.pid, 'SIGINT');
    };
    process.on('SIGINT', onSigint);
    try {
      const { config, values, positionals } = parseCeremonyArgs(argv, spec.extra ?? {});
      const max = spec.positionals?.length ?? 0;
      if (positionals.length > max) {
        // Not repeated: a password typed in the wrong place must not be echoed back to the terminal or a log.
        const takes = max === 0 ? 'takes no arguments, only options' : `takes at most ${max} argument${max === 1 ? '' : 's'} (${spec.positionals!.join(' ')})`;
        throw new UsageError('CLI_UNEXPECTED_ARGUMENT', `Unexpected argument #${max + 1} (not repeated, in case it is a secret): hsm2kms ${spec.name} ${takes}; run hsm2kms ${spec.name} --help.`);
      }
      if (spec.required && positionals.length === 0) throw new UsageError('CLI_MISSING_ARGUMENT', spec.required);
      if (values['attestation-ca'] !== undefined && !spec.checksAttestationCa) {
        throw new UsageError('CLI_OPTION_NOT_USED', 'This command does not check --attestation-ca (import, wrap and complete do); drop the option.');
      }
      if (spec.checksAttestationCa) checkAttestationCaFile(config);
      if (spec.outDefault === 'cwd' && values.out === undefined && config.outDir === defaultConfig().outDir) config.outDir = '.';
      const explicitSpec = values['key-spec'] !== undefined || config.key.keySpec !== defaultConfig().key.keySpec;
      const args: StepArgs = { values, positionals, explicitSpec, config };
      spec.check?.(args);
      if (!spec.need.hsm && !spec.need.kms) return await spec.run(undefined, args, io);
      const stdin = io.stdin as NodeJS.ReadStream;
      const opened = await openStep({
        config,
        need: spec.need,
        env: io.env,
        password: passwordSources(config, io.env, stdin.isTTY ? { input: stdin, output: io.stderr } : undefined),
      });
      close = opened.close;
      const banner = simulationBanner(opened.targets.hsm ?? '', opened.targets.kms ?? '', opened.targets.simulated);
      if (banner) io.stderr.write(banner + '\n');
      return await spec.run(opened.ctx, args, io);
    } catch (caught) {
      const e = sessionLostAsRerun(fileSystemError(caught) ?? caught);
      if (!(e instanceof Hsm2KmsError)) throw e;
      io.stderr.write(`hsm2kms ${spec.name}: ${e.message} [${e.code}]\n`);
      return exitCodeFor(e);
    } finally {
      process.off('SIGINT', onSigint);
      if (close) await close();
    }
  };
}

/** Prints lines to stdout. */
export function say(io: CliIo, lines: string | string[]): void {
  for (const l of Array.isArray(lines) ? lines : [lines]) io.stdout.write(l + '\n');
}
