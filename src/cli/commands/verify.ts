/** `hsm2kms verify [MESSAGE]`: seed step 7 offline (src/ceremony/manual/verify-files.ts). */
import { join } from 'node:path';
import { verifySignatureFiles } from '../../ceremony/manual/verify-files.js';
import { ExitCode, type CliCommand } from '../command.js';
import { say, stepCommand } from '../step-command.js';

const HELP = `Usage: hsm2kms verify [MESSAGE] [--pubkey FILE] [--signature FILE] [--signing-algorithm ALG] [--out DIR]

Seed step 7, offline: checks that the signature verifies over MESSAGE with the public key, the check of
  openssl dgst -sha256 -verify key0x100.pub -signature message-aws.signature message-aws.txt
and prints "Verified OK" (exit 0) or "Verification failure" (exit 3). Touches no HSM and no KMS.
  MESSAGE                  default message-aws.txt in --out (the current directory)
  --pubkey FILE            PEM or DER public key (default key0x<--key-id>.pub, key0x100.pub)
  --signature FILE         DER signature bytes or its base64 text (default message-aws.signature)
  --signing-algorithm ALG  KMS name of the scheme; default from the key: ECDSA_SHA_256 (P-256, secp256k1),
                           ECDSA_SHA_384 (P-384), ECDSA_SHA_512 (P-521), RSASSA_PKCS1_V1_5_SHA_256 (RSA)

Example (the seed's step 7):
  hsm2kms verify --pubkey key0x100.pub --signature message-aws.signature message-aws.txt
`;

export const command: CliCommand = {
  name: 'verify',
  summary: 'seed step 7: check a signature file against a public key and a message (offline)',
  help: HELP,
  run: stepCommand({
    name: 'verify',
    need: { hsm: false, kms: false },
    outDefault: 'cwd',
    positionals: ['MESSAGE'],
    extra: { pubkey: { type: 'string' }, signature: { type: 'string' }, 'signing-algorithm': { type: 'string' } },
    async run(_ctx, args, io) {
      const v = args.values;
      const dir = args.config.outDir;
      const r = verifySignatureFiles({
        publicKeyFile: typeof v.pubkey === 'string' ? v.pubkey : join(dir, `key0x${args.config.key.id.toString(16)}.pub`),
        signatureFile: typeof v.signature === 'string' ? v.signature : join(dir, 'message-aws.signature'),
        messageFile: args.positionals[0] ?? join(dir, 'message-aws.txt'),
        signingAlgorithm: typeof v['signing-algorithm'] === 'string' ? v['signing-algorithm'] : undefined,
      });
      const detail = `${r.signingAlgorithm}, ${r.keyAlgorithm} public key SHA-256 ${r.publicKeySha256}, ${r.messageBytes}-byte message`;
      if (r.ok) {
        say(io, [`Verified OK`, `  ${detail}`]);
        return ExitCode.OK;
      }
      say(io, [`Verification failure`, `  ${detail}`]);
      return ExitCode.VERIFY_FAILED;
    },
  }),
};
