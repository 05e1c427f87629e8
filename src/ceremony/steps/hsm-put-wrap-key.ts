/**
 * Seed step 4 (`put pub_wrapkey`): load the KMS wrapping key into the HSM as a public wrap key that may only
 * export (export-wrapped) and may only carry the target key's capabilities (delegated). A public wrap key this
 * ceremony loaded earlier with another wrapping key is replaced; one it did not load is never touched
 * (steps/wrap-key.ts).
 */
import { PublicWrapKey } from '../../client/index.js';
import { parseSpki } from '../../crypto/spki.js';
import { equalBytes } from '../../protocol/bytes.js';
import { formatId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyContext, CeremonyStep } from '../context.js';
import { materialImported } from './import-state.js';
import { inspectWrapKeySlot, noteWrapKeyLoading, wrapKeyCapabilities, wrapKeyTaken } from './wrap-key.js';

/** Makes the HSM public wrap key hold the current parameters' wrapping key; returns the outcome line. */
export async function loadWrapKey(ctx: CeremonyContext): Promise<string> {
  const { session, config: c, state } = ctx;
  const modulus = parseSpki(state.params!.wrappingPublicKey).publicKey;
  const slot = await inspectWrapKeySlot(ctx);
  if (slot.kind === 'foreign') throw wrapKeyTaken(ctx, slot.info);
  if (slot.kind === 'ours') {
    if (equalBytes(slot.modulus, modulus)) {
      state.wrapKey = slot.info;
      return `${formatId(c.wrapKey.id)} already holds this wrapping key`;
    }
    await session.deleteObject(ObjectType.PUBLIC_WRAP_KEY, c.wrapKey.id);
    await ctx.checkpoint('hsm-put-wrap-key:after-delete');
  }
  const want = wrapKeyCapabilities(ctx);
  noteWrapKeyLoading(ctx, modulus);
  await ctx.checkpoint('hsm-put-wrap-key:before-put');
  await PublicWrapKey.put(session, {
    id: c.wrapKey.id,
    label: c.wrapKey.label,
    domains: c.key.domains,
    capabilities: want.caps,
    delegatedCapabilities: want.delegated,
    publicKey: state.params!.wrappingPublicKey,
  });
  await ctx.checkpoint('hsm-put-wrap-key:after-put');
  state.wrapKey = await session.getObjectInfo(ObjectType.PUBLIC_WRAP_KEY, c.wrapKey.id);
  return `${slot.kind === 'ours' ? 'replaced' : 'loaded'} ${formatId(c.wrapKey.id)} (export-wrapped only)`;
}

export const hsmPutWrapKey: CeremonyStep = {
  name: 'hsm-put-wrap-key',
  async run(ctx) {
    if (materialImported(ctx.state.kmsKey)) return 'not needed: the key material is already imported';
    return loadWrapKey(ctx);
  },
};
