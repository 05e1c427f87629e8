/** `hsm2kms transcript verify FILE`: re-checks a transcript offline (src/ceremony/verify-transcript.ts). */
import { readTrustedCas, verifyTranscriptFile } from '../../ceremony/verify-transcript.js';
import { ExitCode, type CliCommand } from '../command.js';
import { stepCommand } from '../step-command.js';

const HELP = `Usage: hsm2kms transcript verify FILE [--ca CA.pem] [--json]

Re-checks offline, with no HSM and no KMS, everything the transcript of hsm2kms import or hsm2kms complete lets one
check, and prints each check (ok, FAIL or skip):
  format                   the transcript format and version
  targets                  the HSM and KMS it ran on; a simulator is said so, and a chain from the software
                           YubiHSM 2's test CA in a transcript that does not say so fails
  public-key               the HSM public key against its SHA-256 (and the key spec)
  attestation-certificate  the attestation certificate parses and certifies that public key and key id
  attestation-signature    it is signed by the device attestation certificate, when the transcript holds it
  attestation-chain        each further certificate of the chain signs the one before
  attestation-root         with --ca: the chain leads, through certificates of CA.pem, to a self-signed one of
                           them (skipped without --ca: a chain that signs itself proves nothing on its own)
  kms-public-key           KMS's public key SHA-256 equals the HSM's
  kms-signature            KMS's signature over the message verifies with the HSM public key
  audit-log                each HSM audit-log entry's 32 raw bytes agree with its fields, and the hash chain holds
  file NAME                output files next to the transcript against their SHA-256 (skipped when absent)
  steps                    every ceremony step is done
  verification             no check the ceremony ran is recorded as failed
  --ca CA.pem              trusted attestation CA certificates (PEM, one or more): for a real YubiHSM 2, Yubico's
                           attestation root and intermediates, downloaded and checked by you (a real device
                           holds only its own device certificate)
  --json                   one JSON object: {"file", "ok", "simulated", "checks": [{"name", "status", "detail"}]}

Exit codes: 0 every check passed or was skipped; 3 a check failed; 2 the file or CA file cannot be read.
Example:
  hsm2kms transcript verify hsm2kms-out/transcript.json --ca yubihsm-attestation-ca.pem
`;

export const command: CliCommand = {
  name: 'transcript verify',
  summary: 'recheck a ceremony transcript offline (keys, attestation, signature, audit log, files)',
  help: HELP,
  run: stepCommand({
    name: 'transcript verify',
    need: { hsm: false, kms: false },
    outDefault: 'config',
    positionals: ['FILE'],
    required: 'Give the transcript file, e.g. hsm2kms transcript verify hsm2kms-out/transcript.json.',
    extra: { json: { type: 'boolean' }, ca: { type: 'string' } },
    async run(_ctx, args, io) {
      const file = args.positionals[0];
      const trustedCas = typeof args.values.ca === 'string' ? readTrustedCas(args.values.ca) : undefined;
      const result = verifyTranscriptFile(file, trustedCas ? { trustedCas } : {});
      if (args.values.json === true) {
        io.stdout.write(JSON.stringify({ file, ...result }) + '\n');
      } else {
        const width = Math.max(...result.checks.map((c) => c.name.length));
        for (const c of result.checks) {
          io.stdout.write(`${(c.status === 'fail' ? 'FAIL' : c.status).padEnd(5)} ${c.name.padEnd(width)}  ${c.detail}\n`);
        }
        const count = (s: string) => result.checks.filter((c) => c.status === s).length;
        io.stdout.write(result.ok
          ? `Transcript verified: ${count('ok')} checks passed, ${count('skip')} skipped.${result.simulated ? ' It records a SIMULATED ceremony (a rehearsal on a software YubiHSM 2 or a local KMS), not a real import.' : ''}\n`
          : `Transcript NOT verified: ${count('fail')} check(s) failed.\n`);
      }
      return result.ok ? ExitCode.OK : ExitCode.VERIFY_FAILED;
    },
  }),
};
