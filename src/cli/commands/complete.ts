/** `hsm2kms complete WRAPPED`: the air-gapped split, online part 2 (src/ceremony/split/complete.ts). */
import { runComplete } from '../../ceremony/split/complete.js';
import { readWrapped } from '../../ceremony/split/wrapped.js';
import { CEREMONY_FLAGS_HELP } from '../ceremony-options.js';
import { ExitCode, type CliCommand } from '../command.js';
import { say, stepCommand } from '../step-command.js';

const HELP = `Usage: hsm2kms complete WRAPPED [--request FILE] [options]

Air-gapped import, part 3 of 3, on the online machine: WRAPPED is the wrapped-key.json hsm2kms wrap wrote. Checks it
against the import request (import token and wrapping key hashes, key ARN), checks offline that the attestation
certifies its public key and the HSM's signature verifies, imports the key material (ImportKeyMaterial, --no-expiry
by default or --valid-to DATE), verifies both ways (KMS GetPublicKey equals the HSM public key; KMS signs the
message and the HSM public key verifies it; KMS Verify accepts the signature the HSM made in wrap), and writes the
seed's files (key0x<id>.pub, message-aws.txt, message-aws.signature and .b64, ...) and transcript.json in --out.
Running it again after an import only verifies. If KMS refuses the import token (it lasts 24 hours), run prepare
again, wrap again, and complete with the new files.
  --request FILE           the import-request.json of prepare, or the console's Import_Parameters_<key id>.zip the
                           wrap was made from; default: the request prepare kept in --work-dir
  --key KEY                the KMS key, when the request does not name it (a console zip renamed)
  --allow-simulated-hsm    import a key that a software YubiHSM 2 (a simulator) wrapped into AWS or a non-local
                           KMS endpoint; refused by default because simulator keys are not protected
  --allow-local-kms        import a key that a real YubiHSM 2 wrapped into a local KMS (the embedded one, or an
                           endpoint on this machine); refused by default because a local KMS keeps the key material
                           in a file
Then: hsm2kms transcript verify hsm2kms-out/transcript.json re-checks the evidence offline.

${CEREMONY_FLAGS_HELP}

Example:
  hsm2kms complete wrapped-key.json --kms aws --region eu-west-1
`;

export const command: CliCommand = {
  name: 'complete',
  summary: 'air-gapped import 3/3 (online): import, verify both ways, write the transcript',
  help: HELP,
  run: stepCommand({
    name: 'complete',
    checksAttestationCa: true,
    need: { hsm: false, kms: true },
    outDefault: 'config',
    positionals: ['WRAPPED'],
    required: 'Give the wrapped-key.json hsm2kms wrap wrote.',
    extra: { request: { type: 'string' }, key: { type: 'string' }, 'allow-simulated-hsm': { type: 'boolean' }, 'allow-local-kms': { type: 'boolean' } },
    check: (args) => void readWrapped(args.positionals[0]),
    async run(ctx, args, io) {
      const wrappedPath = args.positionals[0];
      const v = args.values;
      const r = await runComplete(ctx!, {
        wrappedPath,
        requestPath: typeof v.request === 'string' ? v.request : undefined,
        keyRef: typeof v.key === 'string' ? v.key : undefined,
        allowSimulatedHsm: v['allow-simulated-hsm'] === true,
        allowLocalKms: v['allow-local-kms'] === true,
      });
      // As hsm2kms import: the verified fingerprint is the last line.
      say(io, [...r.lines, '', `Done. KMS key ${r.keyArn} (${ctx!.config.kms.alias}) holds the HSM key, verified both ways.`, `Transcript: ${r.transcript}`, `Verified public key fingerprint (SHA-256 of SubjectPublicKeyInfo): ${r.fingerprint}`]);
      return ExitCode.OK;
    },
  }),
};
