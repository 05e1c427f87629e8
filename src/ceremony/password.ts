/**
 * Where the HSM password comes from: an environment variable, a file, or a no-echo prompt on the terminal.
 * Never from argv. The password is returned as bytes so the caller can derive the session keys and wipe it.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { Hsm2KmsError, UsageError } from '../errors.js';
import type { CeremonyConfig } from './config.js';
import { CeremonyError } from './errors.js';

export const PASSWORD_ENV = 'HSM2KMS_HSM_PASSWORD';
/** The embedded software device's factory password (PROTOCOL.md 4.7); used only for the embedded target. */
const EMBEDDED_FACTORY_PASSWORD = 'password';

export interface PasswordSources {
  env: NodeJS.ProcessEnv;
  file?: string;
  /** A terminal to prompt on; undefined when stdin is not a TTY. */
  tty?: { input: NodeJS.ReadStream; output: NodeJS.WritableStream };
  /** The embedded software device's factory password may be used without asking. */
  embeddedDefault?: string;
}

export interface PasswordResult {
  password: Uint8Array;
  /** Where it came from, for the plan/transcript (never the value). */
  source: 'environment' | 'file' | 'prompt' | 'embedded-default';
}

/** The password sources of a configuration: the environment, its --password-file, and a terminal if there is one. */
export function passwordSources(config: CeremonyConfig, env: NodeJS.ProcessEnv, tty?: PasswordSources['tty']): PasswordSources {
  return { env, ...(config.hsm.passwordFile ? { file: config.hsm.passwordFile } : {}), ...(tty ? { tty } : {}) };
}

/** The password for the configured HSM (bytes the caller wipes); the embedded device falls back to its factory one. */
export async function hsmPassword(config: CeremonyConfig, src: PasswordSources): Promise<Uint8Array> {
  const embedded = config.hsm.target.kind === 'embedded';
  const result = await obtainPassword({ ...src, ...(embedded && src.embeddedDefault === undefined ? { embeddedDefault: EMBEDDED_FACTORY_PASSWORD } : {}) });
  return result.password;
}

/**
 * A wrong password on the embedded software YubiHSM 2 nearly always means HSM2KMS_HSM_PASSWORD (or a password file)
 * meant for a real HSM was picked up in a rehearsal: the message says so. Other errors come back unchanged.
 */
export function withEmbeddedPasswordHint(config: CeremonyConfig, e: unknown): unknown {
  if (config.hsm.target.kind !== 'embedded' || !(e instanceof Hsm2KmsError) || e.code !== 'HSM_WRONG_PASSWORD') return e;
  return new CeremonyError('HSM_WRONG_PASSWORD', `The embedded software YubiHSM 2's password is "${EMBEDDED_FACTORY_PASSWORD}", not the one given; for a rehearsal unset ${PASSWORD_ENV} and drop --password-file (or name the real HSM with --connector or --usb).`, { cause: e, preflight: true });
}

/**
 * The password from the first source there is: a password file named for this run (--password-file or
 * hsm.passwordFile, which is chosen more deliberately than a variable left in the shell), HSM2KMS_HSM_PASSWORD, the
 * embedded device's factory password, a no-echo prompt.
 */
export async function obtainPassword(src: PasswordSources, prompt = 'HSM password: '): Promise<PasswordResult> {
  if (src.file) {
    let st;
    try {
      st = statSync(src.file);
    } catch {
      // The path may come from hsm.passwordFile in a ceremony file: a relative one is from the current directory.
      const where = isAbsolute(src.file) ? '' : ` (relative to the current directory ${process.cwd()})`;
      throw new UsageError('PASSWORD_FILE_MISSING', `Password file ${src.file}${where} cannot be read; check the path given to --password-file or hsm.passwordFile.`);
    }
    if (!st.isFile()) {
      throw new UsageError('PASSWORD_FILE_MISSING', `Password file ${src.file} is not a file; give the file that holds the password on its first line.`);
    }
    if ((st.mode & 0o077) !== 0) {
      throw new UsageError('PASSWORD_FILE_MODE', `Password file ${src.file} is readable by others; run: chmod 600 ${src.file}`);
    }
    let raw: Buffer;
    try {
      raw = readFileSync(src.file);
    } catch (e) {
      throw new UsageError('PASSWORD_FILE_MISSING', `Password file ${src.file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); check its owner and mode (chmod 600).`);
    }
    let end = raw.indexOf(0x0a);
    if (end < 0) end = raw.length;
    if (end > 0 && raw[end - 1] === 0x0d) end--;
    const password = new Uint8Array(raw.subarray(0, end));
    raw.fill(0);
    if (password.length === 0) throw new UsageError('PASSWORD_EMPTY', `Password file ${src.file} is empty; put the password on its first line.`);
    return { password, source: 'file' };
  }
  const fromEnv = src.env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { password: new TextEncoder().encode(fromEnv), source: 'environment' };
  if (src.embeddedDefault !== undefined) return { password: new TextEncoder().encode(src.embeddedDefault), source: 'embedded-default' };
  if (!src.tty) {
    throw new UsageError('PASSWORD_NEEDED', `No HSM password: set ${PASSWORD_ENV}, pass --password-file FILE, or run on a terminal to be prompted.`);
  }
  return { password: await promptNoEcho(src.tty.input, src.tty.output, prompt), source: 'prompt' };
}

/** Reads one line from a TTY in raw mode without echoing it. */
function promptNoEcho(input: NodeJS.ReadStream, output: NodeJS.WritableStream, prompt: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    output.write(prompt);
    const chunks: number[] = [];
    const wasRaw = input.isRaw;
    input.setRawMode?.(true);
    input.resume();
    const done = (err?: Error) => {
      input.removeListener('data', onData);
      input.setRawMode?.(wasRaw ?? false);
      input.pause();
      output.write('\n');
      if (err) {
        chunks.fill(0);
        reject(err);
      } else {
        const pw = Uint8Array.from(chunks);
        chunks.fill(0);
        resolve(pw);
      }
    };
    const onData = (buf: Buffer) => {
      let end: 'line' | 'interrupt' | undefined;
      for (const b of buf) {
        if (b === 0x0d || b === 0x0a) end = 'line';
        else if (b === 0x03 || b === 0x04) end = 'interrupt'; // Ctrl-C, or Ctrl-D (end of input)
        else if (b === 0x7f || b === 0x08) chunks.pop();
        else chunks.push(b);
        if (end) break;
      }
      buf.fill(0);
      if (end === 'line' && chunks.length === 0) done(new UsageError('PASSWORD_EMPTY', 'No password was typed at the prompt; run the command again and type the HSM password.'));
      else if (end === 'line') done();
      else if (end === 'interrupt') done(new UsageError('INTERRUPTED', 'Interrupted at the password prompt; nothing was changed.'));
    };
    input.on('data', onData);
  });
}
