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

const asBytes = (d: Uint8Array | string): Uint8Array => (typeof d === 'string' ? new TextEncoder().encode(d) : d);

/**
 * Refuses to replace `path` unless it is absent, holds what this ceremony (or step command, per its work directory)
 * wrote there, or already holds `bytes`: the step and air-gap commands, like import's pre-flight, never write over a
 * file of the user's. `other` names what to choose instead (a file name given on the command line, or --out).
 */
export function checkOutputReplaceable(
  ctx: CeremonyContext, path: string, o: { bytes?: Uint8Array | string; preflight?: boolean; other?: string } = {},
): void {
  if (!existsSync(path)) return;
  const current = sha256Hex(readFileSync(path));
  if (recorded(ctx, path).includes(current) || (o.bytes !== undefined && sha256Hex(asBytes(o.bytes)) === current)) return;
  throw new CeremonyError(
    'OUTPUT_FILE_NOT_OURS',
    `${path} exists and was not written by this ceremony; move it away or choose another ${o.other ?? 'file name or --out'} (hsm2kms does not overwrite files it did not write).`,
    { preflight: o.preflight ?? false },
  );
}

/** Checks the file may be replaced, records the content's SHA-256, then replaces the file atomically. */
export function writeOutput(ctx: CeremonyContext, path: string, data: Uint8Array | string, mode: number): void {
  const bytes = asBytes(data);
  checkOutputReplaceable(ctx, path, { bytes });
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

/**
 * Pre-flight: every output file that exists was written by this ceremony, or already holds what the ceremony will
 * write there (`expected`, by path: e.g. what wrap wrote beside complete's files), so nothing else is overwritten.
 */
export function checkOutputsOurs(ctx: CeremonyContext, expected: ReadonlyMap<string, Uint8Array | string> = new Map()): void {
  for (const path of outputFiles(ctx.paths)) checkOutputReplaceable(ctx, path, { bytes: expected.get(path), preflight: true, other: '--out' });
}
