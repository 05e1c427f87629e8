/** `hsm2kms kms params [FILE]`: seed steps 2-3, the import parameters (src/ceremony/manual/kms-steps.ts). */
import { kmsParams } from '../../ceremony/manual/kms-steps.js';
import { STEP_FLAGS_HELP } from '../ceremony-options.js';
import { ExitCode, type CliCommand } from '../command.js';
import { keyRefOf, say, stepCommand } from '../step-command.js';

const HELP = `Usage: hsm2kms kms params [FILE] [options]

Seed steps 2-3: fetches the import parameters of the KMS key (GetParametersForImport, --wrapping-algorithm
RSA_AES_KEY_WRAP_SHA_256 and --wrapping-key-spec RSA_4096 by default) and writes
  FILE                     default Import_Parameters_<key id>.zip in --out (the current directory), laid out as the
                           console's download (WrappingPublicKey.bin + ImportToken.bin); a FILE ending in .json
                           gets hsm2kms's bundle instead (key ARN, algorithm, expiry, each part with its SHA-256)
  wrappingkey-aws.pem      the wrapping public key as PEM, what the seed's step 3
                           (openssl rsa -pubin -inform DER -in WrappingPublicKey.bin -out wrappingkey-aws.pem) makes
The parameters are valid for 24 hours. Running it again reuses parameters still valid for more than 10 minutes.
  --key KEY                the KMS key (key id, ARN or alias; default --alias, alias/key0x100)
  --fresh                  fetch new parameters even when valid ones are kept

${STEP_FLAGS_HELP}

Example:
  hsm2kms kms params
  unzip Import_Parameters_*.zip    # WrappingPublicKey.bin and ImportToken.bin, if you want them
Next: hsm2kms hsm put-wrapkey wrappingkey-aws.pem
`;

export const command: CliCommand = {
  name: 'kms params',
  summary: 'seed steps 2-3: fetch the import parameters (Import_Parameters_<id>.zip, wrappingkey-aws.pem)',
  help: HELP,
  run: stepCommand({
    name: 'kms params',
    need: { hsm: false, kms: true },
    outDefault: 'cwd',
    positionals: ['FILE'],
    extra: { key: { type: 'string' }, fresh: { type: 'boolean' } },
    async run(ctx, args, io) {
      const r = await kmsParams(ctx!, { keyRef: keyRefOf(args), file: args.positionals[0], fresh: args.values.fresh === true });
      say(io, r.lines);
      return ExitCode.OK;
    },
  }),
};
