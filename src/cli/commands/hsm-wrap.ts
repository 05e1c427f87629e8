/** `hsm2kms hsm wrap [FILE]`: seed step 5 (src/ceremony/manual/hsm-steps.ts). */
import { hsmWrap } from '../../ceremony/manual/hsm-steps.js';
import { STEP_FLAGS_HELP } from '../ceremony-options.js';
import { ExitCode, type CliCommand } from '../command.js';
import { say, stepCommand } from '../step-command.js';

const HELP = `Usage: hsm2kms hsm wrap [FILE] [options]

Seed step 5: the HSM exports the key wrapped under the public wrap key (GetRsaWrappedKey, yubihsm-shell's
"get rsa_wrapped_key"; the seed's "get wrapped-asym-raw" is not a yubihsm-shell command): RSA-OAEP of a fresh
AES-256 key, then AES-KWP of the key's PKCS#8, which is KMS's RSA_AES_KEY_WRAP_SHA_256 (--wrapping-algorithm
RSA_AES_KEY_WRAP_SHA_1 for the SHA-1 variant). Writes FILE (default key0x<id>-wrapped-aws.bin in --out).
  --delete-wrapkey         delete the public wrap key from the HSM afterwards (only one hsm put-wrapkey loaded)

${STEP_FLAGS_HELP}

Example (the seed's step 5, done right):
  hsm2kms hsm wrap key0x100-wrapped-aws.bin
  # yubihsm-shell: get rsa_wrapped_key 0 0x101 asymmetric-key 0x100 aes256 rsa-oaep-sha256 mgf1-sha256 key0x100-wrapped-aws.bin
Next: hsm2kms kms import key0x100-wrapped-aws.bin --params Import_Parameters_<key id>.zip
`;

export const command: CliCommand = {
  name: 'hsm wrap',
  summary: 'seed step 5: export the key wrapped for KMS (key0x100-wrapped-aws.bin)',
  help: HELP,
  run: stepCommand({
    name: 'hsm wrap',
    need: { hsm: true, kms: false },
    outDefault: 'cwd',
    positionals: ['FILE'],
    extra: { 'delete-wrapkey': { type: 'boolean' } },
    async run(ctx, args, io) {
      say(io, await hsmWrap(ctx!, { explicitSpec: args.explicitSpec, file: args.positionals[0], deleteWrapKey: args.values['delete-wrapkey'] === true }));
      return ExitCode.OK;
    },
  }),
};
