/**
 * Seed steps 2-3: fetch the import parameters (RSA wrapping key + import token, valid 24 h), keep them as a
 * hash-pinned bundle in the work dir and the wrapping key as PEM in the seed's format. Parameters still valid for
 * this key and algorithm are reused; expired ones are replaced.
 */
import { existsSync } from 'node:fs';
import { sha256Hex } from '../../crypto/digest.js';
import { Hsm2KmsError } from '../../errors.js';
import { readImportParams, writeImportParams } from '../../kms/client/import-params.js';
import type { ImportParameters } from '../../kms/client/port.js';
import { wrappingKeyDerToPem } from '../../kms/client/wrapping-key.js';
import type { CeremonyContext, CeremonyStep } from '../context.js';
import { materialImported } from './import-state.js';
import { kmsCall } from './kms-retry.js';
import { writeOutput } from './outputs.js';

/** Parameters are not reused when they expire within this margin (the wrap and import still have to happen). */
const REUSE_MARGIN_MS = 10 * 60_000;

function reusable(ctx: CeremonyContext): ImportParameters | undefined {
  const f = ctx.journal.facts.importParams;
  if (!f || !existsSync(ctx.paths.importParams)) return undefined;
  let loaded;
  try {
    loaded = readImportParams(ctx.paths.importParams);
  } catch (e) {
    if (!(e instanceof Hsm2KmsError)) throw e;
    ctx.emit({ type: 'note', step: 'kms-import-params', message: `the saved import parameters are not usable (${e.code}); fetching new ones` });
    return undefined;
  }
  if (loaded.source !== 'bundle') return undefined;
  // The bundle must be the one this ceremony recorded: a wrapping key swapped in the work dir would make the HSM
  // export the key to whoever holds its private half.
  if (sha256Hex(loaded.wrappingPublicKey) !== f.wrappingKeySha256 || sha256Hex(loaded.importToken) !== f.importTokenSha256) {
    ctx.emit({ type: 'note', step: 'kms-import-params', message: `${ctx.paths.importParams} differs from the parameters the journal recorded; fetching new ones` });
    return undefined;
  }
  const c = ctx.config.kms;
  if (loaded.keyArn !== ctx.state.kmsKey?.arn || loaded.wrappingAlgorithm !== c.wrappingAlgorithm || loaded.wrappingKeySpec !== c.wrappingKeySpec) return undefined;
  if (loaded.parametersValidTo.getTime() - ctx.now().getTime() < REUSE_MARGIN_MS) return undefined;
  return loaded;
}

/** GetParametersForImport for the ceremony's key, waiting out KMS's quota of one call per 4 s (kms-retry.ts). */
export function fetchImportParameters(ctx: CeremonyContext, keyArn: string): Promise<ImportParameters> {
  const c = ctx.config.kms;
  return kmsCall(ctx, 'GetParametersForImport', () => ctx.kms.getParametersForImport({ keyId: keyArn, wrappingAlgorithm: c.wrappingAlgorithm, wrappingKeySpec: c.wrappingKeySpec }));
}

export async function recordParams(ctx: CeremonyContext, p: ImportParameters): Promise<void> {
  writeImportParams(ctx.paths.importParams, p, { format: 'bundle' });
  await ctx.checkpoint('kms-import-params:after-bundle');
  writeOutput(ctx, ctx.paths.wrappingKeyPem, wrappingKeyDerToPem(p.wrappingPublicKey), 0o644);
  ctx.journal.setFacts({
    importParams: {
      file: ctx.paths.importParams,
      parametersValidTo: p.parametersValidTo.toISOString(),
      wrappingKeySha256: sha256Hex(p.wrappingPublicKey),
      importTokenSha256: sha256Hex(p.importToken),
    },
  });
  ctx.state.params = p;
}

export const kmsImportParams: CeremonyStep = {
  name: 'kms-import-params',
  async run(ctx) {
    const key = ctx.state.kmsKey!;
    if (materialImported(key)) return 'not needed: the key material is already imported';
    const kept = reusable(ctx);
    if (kept) {
      ctx.state.params = kept;
      return `reusing parameters valid to ${kept.parametersValidTo.toISOString()}`;
    }
    const p = await fetchImportParameters(ctx, key.arn);
    await ctx.checkpoint('kms-import-params:after-fetch');
    await recordParams(ctx, p);
    return `${p.wrappingKeySpec} wrapping key ${sha256Hex(p.wrappingPublicKey).slice(0, 16)}…, token valid to ${p.parametersValidTo.toISOString()}`;
  },
};
