/**
 * Seed step 4 (`put pub_wrapkey`): load the KMS wrapping key into the HSM as a public wrap key that may only
 * export (export-wrapped) and may only carry the target key's capabilities (delegated). A public wrap key left by
 * an earlier attempt with other parameters is replaced.
 */
import { PublicWrapKey } from '../../client/index.js';
import { parseSpki } from '../../crypto/spki.js';
import { equalBytes } from '../../protocol/bytes.js';
import { capabilities } from '../../protocol/capabilities.js';
import { formatId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyContext, CeremonyStep } from '../context.js';
import { findObject, keyCapabilities } from './hsm-objects.js';
import { materialImported } from './import-state.js';

/** Makes the HSM public wrap key hold the current parameters' wrapping key; returns the outcome line. */
export async function loadWrapKey(ctx: CeremonyContext): Promise<string> {
    const { session, config: c, state } = ctx;
    const modulus = parseSpki(state.params!.wrappingPublicKey).publicKey;
    const wanted = { caps: capabilities('export-wrapped'), delegated: keyCapabilities(c) };
    const existing = await findObject(session, ObjectType.PUBLIC_WRAP_KEY, c.wrapKey.id);
    if (existing) {
      const current = await PublicWrapKey.from(session, c.wrapKey.id).getPublicKey();
      if (equalBytes(current.raw, modulus) && existing.capabilities === wanted.caps && existing.delegatedCapabilities === wanted.delegated) {
        state.wrapKey = existing;
        return `${formatId(c.wrapKey.id)} already holds this wrapping key`;
      }
      await session.deleteObject(ObjectType.PUBLIC_WRAP_KEY, c.wrapKey.id);
      await ctx.checkpoint('hsm-put-wrap-key:after-delete');
    }
    await ctx.checkpoint('hsm-put-wrap-key:before-put');
    await PublicWrapKey.put(session, {
      id: c.wrapKey.id,
      label: c.wrapKey.label,
      domains: c.key.domains,
      capabilities: wanted.caps,
      delegatedCapabilities: wanted.delegated,
      publicKey: state.params!.wrappingPublicKey,
    });
    await ctx.checkpoint('hsm-put-wrap-key:after-put');
    state.wrapKey = await session.getObjectInfo(ObjectType.PUBLIC_WRAP_KEY, c.wrapKey.id);
    return `${existing ? 'replaced' : 'loaded'} ${formatId(c.wrapKey.id)} (export-wrapped only)`;
}

export const hsmPutWrapKey: CeremonyStep = {
  name: 'hsm-put-wrap-key',
  async run(ctx) {
    if (materialImported(ctx.state.kmsKey)) return 'not needed: the key material is already imported';
    return loadWrapKey(ctx);
  },
};
