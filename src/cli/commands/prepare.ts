/** `hsm2kms prepare [FILE]`: the air-gapped split, online part 1 (src/ceremony/split/prepare.ts). */
import { join } from 'node:path';
import { runPrepare } from '../../ceremony/split/prepare.js';
import { CEREMONY_FLAGS_HELP } from '../ceremony-options.js';
import { ExitCode, type CliCommand } from '../command.js';
import { say, stepCommand } from '../step-command.js';

const HELP = `Usage: hsm2kms prepare [FILE] [options]

Air-gapped import, part 1 of 3, on the online machine (no HSM here): creates the EXTERNAL-origin KMS key of
--key-spec (ECC_NIST_P256 by default) with its alias and key policy, fetches the import parameters, and writes the
import request FILE (default import-request.json in --out, hsm2kms-out): versioned JSON with the key ARN, key spec,
wrapping algorithm, the wrapping public key, the import token and the message to sign, each part with its SHA-256.
A copy stays in --work-dir for complete. Running it again finds the same key and reuses parameters still valid.
Then: carry FILE to the offline machine and run hsm2kms wrap FILE there; bring back what it writes and run
hsm2kms complete here, within 24 hours (the import token's life).

${CEREMONY_FLAGS_HELP}

Example:
  hsm2kms prepare --kms aws --region eu-west-1 --key-spec ECC_NIST_P256 --alias key0x100 \\
    --admin arn:aws:iam::111122223333:role/OrganizationAccountAccessRole --user arn:aws:iam::111122223333:role/OrganizationAccountAccessRole
`;

export const command: CliCommand = {
  name: 'prepare',
  summary: 'air-gapped import 1/3 (online): create the KMS key, fetch parameters, write the import request',
  help: HELP,
  run: stepCommand({
    name: 'prepare',
    need: { hsm: false, kms: true },
    outDefault: 'config',
    positionals: ['FILE'],
    async run(ctx, args, io) {
      const r = await runPrepare(ctx!, { outPath: args.positionals[0] ?? join(args.config.outDir, 'import-request.json') });
      say(io, r.lines);
      return ExitCode.OK;
    },
  }),
};
