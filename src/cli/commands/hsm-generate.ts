/** `hsm2kms hsm generate`: seed step 1, first half (src/ceremony/manual/hsm-steps.ts). */
import { hsmGenerate } from '../../ceremony/manual/hsm-steps.js';
import { STEP_FLAGS_HELP } from '../ceremony-options.js';
import { ExitCode, type CliCommand } from '../command.js';
import { say, stepCommand } from '../step-command.js';

const HELP = `Usage: hsm2kms hsm generate [options]

Seed step 1: generates the key in the YubiHSM 2 with the least capabilities (its use plus exportable-under-wrap),
the seed's
  YubiHSM> generate asymmetric 0 0x100 "YubiHSM Signing Key" 1 exportable-under-wrap,sign-ecdsa ecp256
Running it again is harmless: a key this command made with the same settings is left as it is; another object at
--key-id is refused. Needs firmware 2.4 or later (the key must later be exported for KMS).

${STEP_FLAGS_HELP}

Example (the seed's key, on the embedded software HSM, then on a real one):
  hsm2kms hsm generate
  hsm2kms hsm generate --connector http://127.0.0.1:12345 --key-id 0x100 --label "YubiHSM Signing Key" --key-spec ECC_NIST_P256
Next: hsm2kms hsm pubkey key0x100.pub
`;

export const command: CliCommand = {
  name: 'hsm generate',
  summary: 'seed step 1: generate the key in the HSM (embedded by default)',
  help: HELP,
  run: stepCommand({
    name: 'hsm generate',
    need: { hsm: true, kms: false },
    outDefault: 'cwd',
    async run(ctx, _args, io) {
      say(io, await hsmGenerate(ctx!));
      return ExitCode.OK;
    },
  }),
};
