/** `hsm2kms wrap REQUEST [FILE]`: the air-gapped split, offline part (src/ceremony/split/wrap.ts). */
import { join } from 'node:path';
import { readRequestOrZip } from '../../ceremony/split/request.js';
import { runWrap } from '../../ceremony/split/wrap.js';
import { WRAPPED_FILE } from '../../ceremony/split/wrapped.js';
import { CEREMONY_FLAGS_HELP } from '../ceremony-options.js';
import { ExitCode, type CliCommand } from '../command.js';
import { say, stepCommand } from '../step-command.js';
import { UsageError } from '../../errors.js';

const HELP = `Usage: hsm2kms wrap REQUEST [FILE] [options]

Air-gapped import, part 2 of 3, on the offline machine with the HSM (no KMS here). REQUEST is the import-request.json
of hsm2kms prepare, or the AWS console's Import_Parameters_<key id>.zip as downloaded (then the key spec comes from
--key-spec and the wrapping algorithm from --wrapping-algorithm). It generates the key in the HSM (or finds the one
an earlier run made), exports its public key (key0x<id>.pub) and attestation, loads the KMS wrapping key as a public
wrap key, wraps the key (key0x<id>-wrapped-aws.bin), deletes the wrap key, has the HSM sign the request's message,
and writes FILE (default ${WRAPPED_FILE} in --out): versioned JSON with the wrapped key, public key, attestation
certificates and HSM signature, each with its SHA-256, and the SHA-256 of the import token it was wrapped for.
Nothing secret leaves the HSM: the key only wrapped to KMS's wrapping key.
  --use-existing-key       wrap a key that already exists at --key-id though this tool did not generate it
  --wrapping-key-sha256 HEX
                           the wrapping public key's SHA-256 that hsm2kms prepare printed, carried apart from
                           REQUEST: a request with any other wrapping key is refused before the HSM is touched
  --allow-local-kms        wrap a real YubiHSM 2's key for a request prepare made with a local KMS (the embedded
                           one, or an endpoint on its machine); refused by default: that KMS keeps the key in a file
Then: carry FILE to the online machine and run hsm2kms complete FILE there.

${CEREMONY_FLAGS_HELP}

Example:
  hsm2kms wrap import-request.json --connector http://127.0.0.1:12345
  hsm2kms wrap ~/Downloads/Import_Parameters_1234abcd-12ab-34cd-56ef-1234567890ab.zip --usb
`;

export const command: CliCommand = {
  name: 'wrap',
  summary: 'air-gapped import 2/3 (offline, HSM): generate, attest and wrap the key for KMS',
  help: HELP,
  run: stepCommand({
    name: 'wrap',
    checksAttestationCa: true,
    need: { hsm: true, kms: false },
    outDefault: 'config',
    positionals: ['REQUEST', 'FILE'],
    required: 'Give the import request: the import-request.json of hsm2kms prepare, or the console\'s Import_Parameters_<key id>.zip.',
    extra: { 'use-existing-key': { type: 'boolean' }, 'wrapping-key-sha256': { type: 'string' }, 'allow-local-kms': { type: 'boolean' } },
    check: (args) => {
      const expected = args.values['wrapping-key-sha256'];
      if (typeof expected === 'string' && !/^[0-9a-fA-F]{64}$/.test(expected)) {
        throw new UsageError('CLI_BAD_FINGERPRINT', '--wrapping-key-sha256 must be the 64 hex digits hsm2kms prepare printed (the SHA-256 of the wrapping public key); copy it whole.');
      }
      readRequestOrZip(args.positionals[0]);
    },
    async run(ctx, args, io) {
      const [requestPath, out] = args.positionals;
      const r = await runWrap(ctx!, {
        requestPath,
        outPath: out ?? join(args.config.outDir, WRAPPED_FILE),
        useExistingKey: args.values['use-existing-key'] === true,
        explicitSpec: args.explicitSpec,
        allowLocalKms: args.values['allow-local-kms'] === true,
        ...(typeof args.values['wrapping-key-sha256'] === 'string' ? { expectWrappingKeySha256: args.values['wrapping-key-sha256'] } : {}),
      });
      say(io, r.lines);
      return ExitCode.OK;
    },
  }),
};
