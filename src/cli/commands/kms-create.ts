/** `hsm2kms kms create`: seed step 2, the key (src/ceremony/manual/kms-steps.ts). */
import { kmsCreate } from '../../ceremony/manual/kms-steps.js';
import { STEP_FLAGS_HELP } from '../ceremony-options.js';
import { ExitCode, type CliCommand } from '../command.js';
import { say, stepCommand } from '../step-command.js';

const HELP = `Usage: hsm2kms kms create [options]

Seed step 2 (the console's "create key" page): creates an asymmetric KMS key with key material origin EXTERNAL,
the key spec and usage of the HSM key (--key-spec, ECC_NIST_P256 by default, SIGN_VERIFY), single-Region unless
--multi-region, with the key policy naming --admin and --user principals, tagged with this work dir's ceremony id,
and the alias (alias/key0x100). Running it again finds that key by alias and tag instead of creating another; an
alias that points to a key this work dir did not create is refused.

${STEP_FLAGS_HELP}

Example (the seed's choices, against AWS):
  hsm2kms kms create --kms aws --region eu-west-1 --alias key0x100 --key-spec ECC_NIST_P256 \\
    --admin arn:aws:iam::111122223333:role/OrganizationAccountAccessRole --user arn:aws:iam::111122223333:role/OrganizationAccountAccessRole
Next: hsm2kms kms params
`;

export const command: CliCommand = {
  name: 'kms create',
  summary: 'seed step 2: create the EXTERNAL-origin KMS key and its alias (embedded by default)',
  help: HELP,
  run: stepCommand({
    name: 'kms create',
    need: { hsm: false, kms: true },
    outDefault: 'cwd',
    async run(ctx, _args, io) {
      const outcome = await kmsCreate(ctx!);
      const key = ctx!.state.kmsKey!;
      say(io, [outcome, `${key.arn}: ${key.origin} ${key.keySpec} ${key.keyUsage}, ${key.keyState}, alias ${ctx!.config.kms.alias}`]);
      return ExitCode.OK;
    },
  }),
};
