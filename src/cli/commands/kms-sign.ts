/** `hsm2kms kms sign [MESSAGE]`: seed step 6 (src/ceremony/manual/kms-steps.ts). */
import { kmsSign } from '../../ceremony/manual/kms-steps.js';
import { STEP_FLAGS_HELP } from '../ceremony-options.js';
import { ExitCode, type CliCommand } from '../command.js';
import { keyRefOf, stepCommand } from '../step-command.js';

const HELP = `Usage: hsm2kms kms sign [MESSAGE] [options]

Seed step 6: KMS signs MESSAGE (default message-aws.txt in --out; written from --message when it does not exist)
with the key's signing algorithm (ECDSA_SHA_256 for ECC_NIST_P256) and writes
  message-aws.signature.b64   the Signature field, base64 and a newline (the seed's jq -r .Signature | tee)
  message-aws.signature       the signature bytes, DER for ECDSA (the seed's base64 -d), for openssl dgst -verify
Prints the base64 signature on stdout, as the seed's tee does; everything else goes to stderr.
  --key KEY                the KMS key (key id, ARN or alias; default --alias, alias/key0x100)
  --signature FILE         where the signature goes (default: MESSAGE with .txt replaced by .signature)
  --signing-algorithm ALG  another signing algorithm the key supports (e.g. RSASSA_PSS_SHA_256)

${STEP_FLAGS_HELP}

Example (the seed's step 6):
  hsm2kms kms sign message-aws.txt --key alias/key0x100
  # aws kms sign --key-id alias/key0x100 --message fileb://message-aws.txt --signing-algorithm ECDSA_SHA_256 \\
  #   | jq -r .Signature | tee message-aws.signature.b64
Next: openssl dgst -sha256 -verify key0x100.pub -signature message-aws.signature message-aws.txt
  (or hsm2kms verify)
`;

export const command: CliCommand = {
  name: 'kms sign',
  summary: 'seed step 6: sign message-aws.txt with KMS (message-aws.signature, .b64)',
  help: HELP,
  run: stepCommand({
    name: 'kms sign',
    need: { hsm: false, kms: true },
    outDefault: 'cwd',
    positionals: ['MESSAGE'],
    extra: { key: { type: 'string' }, signature: { type: 'string' }, 'signing-algorithm': { type: 'string' } },
    async run(ctx, args, io) {
      const v = args.values;
      const r = await kmsSign(ctx!, {
        keyRef: keyRefOf(args),
        messageFile: args.positionals[0],
        signatureFile: typeof v.signature === 'string' ? v.signature : undefined,
        algorithm: typeof v['signing-algorithm'] === 'string' ? v['signing-algorithm'] : undefined,
      });
      for (const l of r.lines) io.stderr.write(l + '\n');
      io.stdout.write(r.base64Text);
      return ExitCode.OK;
    },
  }),
};
