/**
 * Seed step 5 (`get rsa_wrapped_key`): the HSM exports the key wrapped for KMS: RSA-OAEP of a fresh AES-256 key
 * under the wrapping key, then AES-KWP of the PKCS#8 (or raw AES) key — AWS's RSA_AES_KEY_WRAP_SHA_256 (or _SHA_1).
 */
import { AsymmetricKey, PublicWrapKey, SymmetricKey } from '../../client/index.js';
import { sha256Hex } from '../../crypto/digest.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyContext, CeremonyStep } from '../context.js';
import { keySpecs, wrapHashOf } from '../key-specs.js';
import { materialImported } from './import-state.js';
import { writeOutput } from './outputs.js';

export async function wrapForKms(ctx: CeremonyContext): Promise<Uint8Array> {
  const c = ctx.config;
  const hash = wrapHashOf(c.kms.wrappingAlgorithm);
  const options = { aes: 'aes256' as const, oaepHash: hash, mgf1Hash: hash };
  const wrapKey = PublicWrapKey.from(ctx.session, c.wrapKey.id);
  return keySpecs[c.key.keySpec].objectType === ObjectType.SYMMETRIC_KEY
    ? SymmetricKey.from(ctx.session, c.key.id).getRsaWrappedKey(wrapKey, options)
    : AsymmetricKey.from(ctx.session, c.key.id).getRsaWrappedKey(wrapKey, options);
}

export const hsmWrap: CeremonyStep = {
  name: 'hsm-wrap',
  async run(ctx) {
    if (materialImported(ctx.state.kmsKey)) return 'not needed: the key material is already imported';
    const blob = await wrapForKms(ctx);
    await ctx.checkpoint('hsm-wrap:after-wrap');
    writeOutput(ctx, ctx.paths.wrappedKey, blob, 0o600);
    await ctx.checkpoint('hsm-wrap:after-write');
    ctx.state.wrapped = blob;
    const sha = sha256Hex(blob);
    ctx.journal.setFacts({ wrappedBlob: { file: ctx.paths.wrappedKey, sha256: sha, importTokenSha256: sha256Hex(ctx.state.params!.importToken) } });
    return `${blob.length} bytes, SHA-256 ${sha.slice(0, 16)}…`;
  },
};
