/**
 * `hsm2kms prepare`, the first online part of the air-gapped split: creates the EXTERNAL KMS key (key spec chosen
 * by flag, since the HSM is not reachable here) and its alias, fetches the import parameters, and writes the
 * hash-pinned import request for `wrap` (and keeps a copy in the work dir for `complete`). Both actions are the
 * ceremony's own steps: running it again finds the same key and reuses parameters still valid for 10 minutes.
 */
import { join } from 'node:path';
import { sha256Hex } from '../../crypto/digest.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import type { CeremonyContext } from '../context.js';
import { CeremonyError } from '../errors.js';
import { keySpecs } from '../key-specs.js';
import { recordStep } from '../manual/open.js';
import { kmsIsLocal } from '../simulated.js';
import { materialImported } from '../steps/import-state.js';
import { kmsCreateKey } from '../steps/kms-create-key.js';
import { kmsImportParams } from '../steps/kms-import-params.js';
import { ObjectType } from '../../protocol/object-types.js';
import { encodeRequest, REQUEST_FILE, type ImportRequest } from './request.js';
import { checkOutputReplaceable, writeOutput } from '../steps/outputs.js';

export interface PrepareResult {
  lines: string[];
  /** Undefined when the key already holds its material (nothing left to prepare). */
  request?: ImportRequest;
}

export function workDirRequestPath(ctx: CeremonyContext): string {
  return join(ctx.paths.workDir, REQUEST_FILE);
}

export async function runPrepare(ctx: CeremonyContext, o: { outPath: string }): Promise<PrepareResult> {
  const c = ctx.config;
  if (keySpecs[c.key.keySpec].objectType === ObjectType.SYMMETRIC_KEY) {
    throw new CeremonyError('AIR_GAP_SYMMETRIC', 'A symmetric key cannot be checked against KMS without the HSM online; import it with hsm2kms import, with the HSM and KMS both reachable.', { preflight: true });
  }
  checkOutputReplaceable(ctx, o.outPath, { preflight: true }); // before KMS is touched
  const lines = [await recordStep(ctx, 'kms-create-key', () => kmsCreateKey.run(ctx))];
  const key = ctx.state.kmsKey!;
  if (materialImported(key)) {
    lines.push(`${key.arn} already holds imported key material (${key.keyState}); nothing to prepare (choose another --alias for a new key)`);
    return { lines };
  }
  lines.push(await recordStep(ctx, 'kms-import-params', () => kmsImportParams.run(ctx)));
  const request: ImportRequest = {
    createdAt: ctx.now(),
    ceremonyId: ctx.journal.ceremonyId,
    kmsTarget: ctx.run.targets.kms,
    kmsLocal: kmsIsLocal(c.kms.target) || (ctx.kms.localKmsSeen?.() ?? false),
    alias: c.kms.alias,
    keySpec: c.key.keySpec,
    keyUsage: c.key.usage,
    params: ctx.state.params!,
    message: new TextEncoder().encode(c.message),
  };
  const text = encodeRequest(request);
  writeFileAtomic(workDirRequestPath(ctx), text, { mode: 0o600 });
  writeOutput(ctx, o.outPath, text, 0o644);
  lines.push(
    `${o.outPath}: ${key.keySpec} ${key.keyUsage} key ${key.arn}, ${request.params.wrappingAlgorithm} with ${request.params.wrappingKeySpec}, each part with its SHA-256`,
    `the import token expires at ${request.params.parametersValidTo.toISOString()}: run hsm2kms wrap on the offline machine and hsm2kms complete here before then`,
    `wrapping public key SHA-256 ${sha256Hex(request.params.wrappingPublicKey)}: carry it apart from the request (written down) and give it to hsm2kms wrap --wrapping-key-sha256, which then refuses any other wrapping key`,
  );
  return { lines, request };
}
