/**
 * The seed guide's HSM steps, one function per command, each running the ceremony's own step where one exists:
 *   step 1  `hsm generate`     generate asymmetric 0 0x100 "YubiHSM Signing Key" 1 exportable-under-wrap,sign-ecdsa ecp256
 *   step 1  `hsm pubkey`       get pubkey 0 0x100 asymmetric-key key0x100.pub
 *   step 4  `hsm put-wrapkey`  put pub_wrapkey 0 0x101 ... wrappingkey-aws.pem   (PROTOCOL.md 5.8, PutPublicWrapKey 0x73)
 *   step 5  `hsm wrap`         get rsa_wrapped_key 0 0x101 asymmetric-key 0x100 aes256 rsa-oaep-sha256 mgf1-sha256
 *                              key0x100-wrapped-aws.bin                       (GetRsaWrappedKey 0x74)
 * Each checks the HSM first, so running it again does no harm.
 */
import { sha256Hex } from '../../crypto/digest.js';
import type { ImportParameters } from '../../kms/client/port.js';
import { formatId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyContext } from '../context.js';
import { CeremonyError } from '../errors.js';
import { keySpecs, wrapHashOf } from '../key-specs.js';
import { cleanup } from '../steps/cleanup.js';
import { hsmAttest } from '../steps/hsm-attest.js';
import { findObject } from '../steps/hsm-objects.js';
import { hsmPublicKey } from '../steps/hsm-public-key.js';
import { loadWrapKey } from '../steps/hsm-put-wrap-key.js';
import { wrapForKms } from '../steps/hsm-wrap.js';
import { checkExportable } from '../steps/hsm-checks.js';
import { adoptExistingKey, ensureHsmKey, requireExportFirmware } from './hsm-key.js';
import { readWrappingPublicKey } from './files.js';
import { recordStep } from './open.js';
import { writeOutput } from '../steps/outputs.js';

export interface KeyChoice {
  /** The user named --key-spec (an existing key of another spec is then refused, not adopted). */
  explicitSpec: boolean;
}

async function existingKey(ctx: CeremonyContext, o: KeyChoice) {
  const info = await adoptExistingKey(ctx, o.explicitSpec);
  if (!info) {
    throw new CeremonyError('HSM_KEY_MISSING', `The HSM has no key ${formatId(ctx.config.key.id)}; generate it first (hsm2kms hsm generate) or give its --key-id.`);
  }
  return info;
}

/** Seed step 1, first half. */
export async function hsmGenerate(ctx: CeremonyContext): Promise<string> {
  return recordStep(ctx, 'hsm-generate-key', () => ensureHsmKey(ctx, {
    useExisting: false,
    explicitSpec: true,
    hint: 'choose another --key-id, or use that key as it is with hsm pubkey, hsm put-wrapkey and hsm wrap.',
  }));
}

/** Seed step 1, second half: the public key as PEM SubjectPublicKeyInfo (and, on request, its attestation). */
export async function hsmPubkey(ctx: CeremonyContext, o: KeyChoice & { file?: string; attest?: boolean }): Promise<string[]> {
  const info = await existingKey(ctx, o);
  if (info.type === ObjectType.SYMMETRIC_KEY) {
    throw new CeremonyError('HSM_KEY_SYMMETRIC', `HSM key ${formatId(info.id)} is a symmetric key; it has no public key.`);
  }
  if (o.file) ctx.paths.publicKey = o.file;
  const lines = [await recordStep(ctx, 'hsm-public-key', () => hsmPublicKey.run(ctx))];
  if (o.attest) lines.push(`${await recordStep(ctx, 'hsm-attest', () => hsmAttest.run(ctx))}; ${ctx.paths.attestation}`);
  return lines;
}

/** Seed step 4: the KMS wrapping key becomes a public wrap key that may only export the key (export-wrapped). */
export async function hsmPutWrapKey(ctx: CeremonyContext, o: KeyChoice & { file: string }): Promise<string> {
  const wrappingPublicKey = readWrappingPublicKey(o.file);
  const info = await adoptExistingKey(ctx, o.explicitSpec);
  if (info) checkExportable(ctx.config, info);
  // loadWrapKey reads only the wrapping public key of the parameters.
  ctx.state.params = { wrappingPublicKey } as ImportParameters;
  const outcome = await recordStep(ctx, 'hsm-put-wrap-key', () => loadWrapKey(ctx));
  return `${outcome}; wrapping key SHA-256 ${sha256Hex(wrappingPublicKey).slice(0, 16)}…`;
}

/** Seed step 5: the HSM exports the key wrapped for KMS (RSA_AES_KEY_WRAP_SHA_256 unless told otherwise). */
export async function hsmWrap(ctx: CeremonyContext, o: KeyChoice & { file?: string; deleteWrapKey: boolean }): Promise<string[]> {
  requireExportFirmware(ctx);
  const info = await existingKey(ctx, o);
  checkExportable(ctx.config, info);
  const c = ctx.config;
  if (!(await findObject(ctx.session, ObjectType.PUBLIC_WRAP_KEY, c.wrapKey.id))) {
    throw new CeremonyError('HSM_WRAP_KEY_MISSING', `The HSM has no public wrap key ${formatId(c.wrapKey.id)}; load the KMS wrapping key first (hsm2kms hsm put-wrapkey wrappingkey-aws.pem).`);
  }
  const path = o.file ?? ctx.paths.wrappedKey;
  const outcome = await recordStep(ctx, 'hsm-wrap', async () => {
    const blob = await wrapForKms(ctx);
    writeOutput(ctx, path, blob, 0o600);
    ctx.state.wrapped = blob;
    const sha = sha256Hex(blob);
    ctx.journal.setFacts({ wrappedBlob: { file: path, sha256: sha, importTokenSha256: '' } });
    const hash = wrapHashOf(c.kms.wrappingAlgorithm);
    return `${formatId(c.key.id)} (${keySpecs[c.key.keySpec].keySpec}) wrapped under ${formatId(c.wrapKey.id)} with aes256 + rsa-oaep-${hash} (${c.kms.wrappingAlgorithm}): ${path}, ${blob.length} bytes, SHA-256 ${sha.slice(0, 16)}…`;
  });
  const lines = [outcome];
  if (o.deleteWrapKey) lines.push(await recordStep(ctx, 'cleanup', () => cleanup.run(ctx)));
  else lines.push(`public wrap key ${formatId(c.wrapKey.id)} stays in the HSM (as in the seed); add --delete-wrapkey to remove it after wrapping`);
  return lines;
}
