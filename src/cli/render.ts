/**
 * Renders ceremony progress: a step list for people (colour only on a terminal and never with NO_COLOR), or one
 * JSON object per line for machines (--json).
 */
import type { CeremonyEvent } from '../ceremony/events.js';
import type { CliIo } from './command.js';

const paint = (on: boolean, code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function simulationBanner(hsm: string, kms: string, simulated: boolean): string | undefined {
  if (!simulated) return undefined;
  // The hint names only what is simulated here: a KMS-only command is not told about --connector, and a software
  // YubiHSM 2 reached through --connector (hsm2kms hsm serve) is not told to use --connector.
  const parts: string[] = [];
  const hints: string[] = [];
  if (hsm.startsWith('embedded ')) {
    parts.push('the embedded software YubiHSM 2 (a simulator, not an HSM)');
    hints.push('--connector URL or --usb for a real YubiHSM 2');
  }
  if (kms.startsWith('embedded ')) {
    parts.push('the embedded local KMS (not AWS)');
    hints.push('--kms aws for AWS KMS');
  }
  if (parts.length === 0) {
    parts.push('a software YubiHSM 2 (a simulator, not an HSM)');
    hints.push("--connector with a real YubiHSM 2's yubihsm-connector, or --usb");
  }
  return `SIMULATION: this ceremony runs on ${parts.join(' and ')}. For real targets use ${hints.join(', and ')}.`;
}

export function humanRenderer(io: CliIo): (e: CeremonyEvent) => void {
  const green = paint(io.color, '32');
  const red = paint(io.color, '31');
  const yellow = paint(io.color, '33');
  const bold = paint(io.color, '1');
  const dim = paint(io.color, '2');
  let banner: string | undefined;
  let current: { index: number; total: number; title: string } | undefined;
  return (e) => {
    switch (e.type) {
      case 'start':
        banner = simulationBanner(e.hsm, e.kms, e.simulated);
        if (banner) io.stdout.write(yellow(banner) + '\n');
        io.stdout.write(`${bold('HSM')}  ${e.hsm}\n${bold('KMS')}  ${e.kms}\n`);
        io.stdout.write(dim(`ceremony ${e.ceremonyId}${e.resumed ? ' (resuming: every step re-checks the HSM and KMS)' : ''}`) + '\n');
        break;
      case 'step-start':
        current = { index: e.index, total: e.total, title: e.title };
        if (io.isTTY) io.stdout.write(`${dim(`[${String(e.index).padStart(2)}/${e.total}]`)} ${e.title} …`);
        break;
      case 'step-done': {
        const head = current ? `${dim(`[${String(current.index).padStart(2)}/${current.total}]`)} ${current.title}` : e.step;
        if (io.isTTY) io.stdout.write('\r\u001b[2K');
        io.stdout.write(`${head} ${green('ok')} ${dim(`(${e.ms} ms)`)}\n      ${e.outcome}\n`);
        break;
      }
      case 'step-failed': {
        const head = current ? `${dim(`[${String(current.index).padStart(2)}/${current.total}]`)} ${current.title}` : e.step;
        if (io.isTTY) io.stdout.write('\r\u001b[2K');
        // The message itself goes to stderr once (the import command prints it); here only the code.
        io.stdout.write(`${head} ${red('FAILED')} [${e.code}]\n`);
        break;
      }
      case 'note':
        if (io.isTTY) io.stdout.write('\r\u001b[2K');
        io.stdout.write(`      ${yellow('note:')} ${e.message}\n`);
        break;
      case 'finish':
        // The simulation notice again (also when pre-flight found the HSM to be a simulator), then the result, so
        // that the last line is the verified fingerprint.
        banner ??= e.simulated ? simulationBanner('', '', true) : undefined;
        if (banner) io.stdout.write(`\n${yellow(banner)}\n`);
        if (e.ok) {
          io.stdout.write(`\n${green('Done.')} KMS key ${e.keyArn} (${e.alias}) holds the HSM key, verified both ways.\n`);
          if (e.transcript) io.stdout.write(`Transcript: ${e.transcript}\n`);
          if (e.fingerprint) io.stdout.write(`Verified public key fingerprint (SHA-256 of SubjectPublicKeyInfo): ${bold(e.fingerprint)}\n`);
        }
        break;
    }
  };
}

export function jsonRenderer(io: CliIo): (e: CeremonyEvent) => void {
  return (e) => io.stdout.write(JSON.stringify(e) + '\n');
}
