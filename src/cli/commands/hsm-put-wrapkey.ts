/** `hsm2kms hsm put-wrapkey [FILE]`: seed step 4 (src/ceremony/manual/hsm-steps.ts). */
import { ceremonyPaths } from '../../ceremony/context.js';
import { readWrappingPublicKey } from '../../ceremony/manual/files.js';
import { hsmPutWrapKey } from '../../ceremony/manual/hsm-steps.js';
import { STEP_FLAGS_HELP } from '../ceremony-options.js';
import { ExitCode, type CliCommand } from '../command.js';
import { say, stepCommand } from '../step-command.js';

const HELP = `Usage: hsm2kms hsm put-wrapkey [FILE] [options]

Seed step 4: loads the KMS wrapping public key into the HSM as a public wrap key (PutPublicWrapKey, yubihsm-shell's
"put pub_wrapkey"; the seed's "put wrapkey-public" is not a yubihsm-shell command) at --wrap-key-id (0x101), with
the capability export-wrapped only, delegating exactly the key's capabilities. FILE is wrappingkey-aws.pem
(default, in --out), WrappingPublicKey.bin, the console's Import_Parameters_<key id>.zip or an hsm2kms bundle.
Running it again keeps a wrap key that already holds this key and replaces one it loaded with another; a public
wrap key at --wrap-key-id that hsm2kms did not load is never replaced (refused, exit 4).

${STEP_FLAGS_HELP}

Example (the seed's step 4, done right):
  hsm2kms hsm put-wrapkey wrappingkey-aws.pem
  # yubihsm-shell: put pub_wrapkey 0 0x101 "AWS KMS Wrap Key" 1 export-wrapped exportable-under-wrap,sign-ecdsa wrappingkey-aws.pem
Next: hsm2kms hsm wrap key0x100-wrapped-aws.bin
`;

export const command: CliCommand = {
  name: 'hsm put-wrapkey',
  summary: 'seed step 4: load the KMS wrapping key into the HSM (wrappingkey-aws.pem)',
  help: HELP,
  run: stepCommand({
    name: 'hsm put-wrapkey',
    need: { hsm: true, kms: false },
    outDefault: 'cwd',
    positionals: ['FILE'],
    check: (args) => void readWrappingPublicKey(args.positionals[0] ?? ceremonyPaths(args.config).wrappingKeyPem),
    async run(ctx, args, io) {
      say(io, await hsmPutWrapKey(ctx!, { explicitSpec: args.explicitSpec, file: args.positionals[0] ?? ctx!.paths.wrappingKeyPem }));
      return ExitCode.OK;
    },
  }),
};
