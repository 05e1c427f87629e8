/** `hsm2kms kms import [FILE]`: seed step 5, the upload (src/ceremony/manual/kms-steps.ts). */
import { ceremonyPaths } from '../../ceremony/context.js';
import { kmsImportMaterial, readWrappedKeyFile } from '../../ceremony/manual/kms-steps.js';
import { STEP_FLAGS_HELP } from '../ceremony-options.js';
import { ExitCode, type CliCommand } from '../command.js';
import { say, stepCommand } from '../step-command.js';

const HELP = `Usage: hsm2kms kms import [FILE] [--params PARAMS] [options]

Seed step 5 ("upload the wrapped key and metadata to AWS KMS"): ImportKeyMaterial of FILE (default
key0x<id>-wrapped-aws.bin in --out) with the import token of PARAMS, with the expiration model stated explicitly
(--no-expiry, the default, or --valid-to DATE). Running it again after a successful import changes nothing.
  --params PARAMS          the console's Import_Parameters_<key id>.zip or an hsm2kms import-parameters bundle;
                           default: the parameters hsm2kms kms params last fetched in this --work-dir
  --key KEY                the KMS key (key id, ARN or alias); default: the key the parameters belong to (the
                           bundle's ARN, the zip's file name), else --alias
An expired import token is refused with what to run again (kms params, hsm put-wrapkey, hsm wrap, kms import).

${STEP_FLAGS_HELP}

Example:
  hsm2kms kms import key0x100-wrapped-aws.bin --params Import_Parameters_<key id>.zip
Next: hsm2kms kms sign message-aws.txt
`;

export const command: CliCommand = {
  name: 'kms import',
  summary: 'seed step 5: import the wrapped key into KMS (ImportKeyMaterial)',
  help: HELP,
  run: stepCommand({
    name: 'kms import',
    need: { hsm: false, kms: true },
    outDefault: 'cwd',
    positionals: ['FILE'],
    extra: { params: { type: 'string' }, key: { type: 'string' } },
    check: (args) => void readWrappedKeyFile(args.positionals[0] ?? ceremonyPaths(args.config).wrappedKey),
    async run(ctx, args, io) {
      const outcome = await kmsImportMaterial(ctx!, {
        keyRef: typeof args.values.key === 'string' ? args.values.key : undefined,
        blobFile: args.positionals[0],
        paramsFile: typeof args.values.params === 'string' ? args.values.params : undefined,
      });
      say(io, `${ctx!.state.kmsKey!.arn}: ${outcome}`);
      return ExitCode.OK;
    },
  }),
};
