/**
 * The files the ceremony writes in the output directory (the seed's key0x100.pub, wrappingkey-aws.pem,
 * key0x100-wrapped-aws.bin, message-aws.*, plus the attestation and transcript.json). Each is written atomically,
 * and the SHA-256 of what is about to be written is recorded in the journal first (`outputs`), so the ceremony can
 * tell its own files from others: pre-flight refuses to start when a file of that name exists that this ceremony
 * did not write (an earlier ceremony's evidence, or the user's own message-aws.txt), instead of overwriting it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sha256Hex } from '../../crypto/digest.js';
import { checkKmsSignatureEncoding, signatureToB64Text } from '../../kms/client/signature-format.js';
import type { KeySpec } from '../../kms/client/names.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import type { CeremonyContext, CeremonyPaths } from '../context.js';
import { CeremonyError } from '../errors.js';

/** Hashes kept per file: the current content and the one being written (a crash may leave either). */
const KEPT = 4;

export function outputFiles(p: CeremonyPaths): string[] {
  return [p.publicKey, p.attestation, p.wrappingKeyPem, p.wrappedKey, p.message, p.signature, p.signatureB64, p.transcript];
}

function recorded(ctx: CeremonyContext, path: string): string[] {
  return ctx.journal.facts.outputs?.[resolve(path)] ?? [];
}

/** Records the content's SHA-256, then replaces the file atomically. */
export function writeOutput(ctx: CeremonyContext, path: string, data: Uint8Array | string, mode: number): void {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const sha = sha256Hex(bytes);
  const known = recorded(ctx, path);
  if (!known.includes(sha)) ctx.journal.setFacts({ outputs: { ...ctx.journal.facts.outputs, [resolve(path)]: [...known, sha].slice(-KEPT) } });
  writeFileAtomic(path, bytes, { mode });
}

/** The seed's two signature files: `<path>` (DER, for openssl dgst -verify) and `<path>.b64` (jq -r .Signature). */
export function writeSignatureOutputs(ctx: CeremonyContext, path: string, signature: Uint8Array, keySpec: KeySpec): void {
  checkKmsSignatureEncoding(signature, keySpec);
  writeOutput(ctx, `${path}.b64`, signatureToB64Text(signature), 0o644);
  writeOutput(ctx, path, signature, 0o644);
}

/** Pre-flight: every output file that exists was written by this ceremony (nothing else is overwritten). */
export function checkOutputsOurs(ctx: CeremonyContext): void {
  for (const path of outputFiles(ctx.paths)) {
    if (!existsSync(path)) continue;
    if (recorded(ctx, path).includes(sha256Hex(readFileSync(path)))) continue;
    throw new CeremonyError(
      'OUTPUT_FILE_NOT_OURS',
      `${path} exists and was not written by this ceremony; move it away or choose another --out (hsm2kms does not overwrite files it did not write).`,
      { preflight: true },
    );
  }
}
