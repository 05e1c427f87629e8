/** `hsm2kms hsm pubkey [FILE]`: seed step 1, second half (src/ceremony/manual/hsm-steps.ts). */
import { hsmPubkey } from '../../ceremony/manual/hsm-steps.js';
import { STEP_FLAGS_HELP } from '../ceremony-options.js';
import { ExitCode, type CliCommand } from '../command.js';
import { say, stepCommand } from '../step-command.js';

const HELP = `Usage: hsm2kms hsm pubkey [FILE] [options]

Seed step 1: writes the public key of the HSM key as PEM SubjectPublicKeyInfo (what openssl and KMS GetPublicKey
use) to FILE (default key0x<id>.pub in --out, the current directory), the seed's
  YubiHSM> get pubkey 0 0x100 asymmetric-key key0x100.pub
The key's spec is read from the HSM; --key-spec only checks it.
  --attest                 also write key0x<id>-attestation.pem: the HSM's attestation certificate for the key,
                           checked to attest this public key and to be signed by the device attestation certificate

${STEP_FLAGS_HELP}

Example:
  hsm2kms hsm pubkey key0x100.pub
Next: hsm2kms kms create
`;

export const command: CliCommand = {
  name: 'hsm pubkey',
  summary: 'seed step 1: export the HSM key\'s public key (key0x100.pub)',
  help: HELP,
  run: stepCommand({
    name: 'hsm pubkey',
    need: { hsm: true, kms: false },
    outDefault: 'cwd',
    positionals: ['FILE'],
    extra: { attest: { type: 'boolean' } },
    async run(ctx, args, io) {
      say(io, await hsmPubkey(ctx!, { explicitSpec: args.explicitSpec, file: args.positionals[0], attest: args.values.attest === true }));
      return ExitCode.OK;
    },
  }),
};
