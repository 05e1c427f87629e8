/**
 * Clean up: the public wrap key served its purpose and leaves the HSM (no wrap key left behind). Only a wrap key
 * this ceremony loaded is deleted (steps/wrap-key.ts); one it did not load is left as it is.
 */
import { formatId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyStep } from '../context.js';
import { inspectWrapKeySlot } from './wrap-key.js';

export const cleanup: CeremonyStep = {
  name: 'cleanup',
  async run(ctx) {
    const id = ctx.config.wrapKey.id;
    const slot = await inspectWrapKeySlot(ctx);
    if (slot.kind === 'free') return `no public wrap key ${formatId(id)} in the HSM`;
    if (slot.kind === 'foreign') return `public wrap key ${formatId(id)} was not loaded by this ceremony; left as it is`;
    await ctx.checkpoint('cleanup:before-delete');
    await ctx.session.deleteObject(ObjectType.PUBLIC_WRAP_KEY, id);
    await ctx.checkpoint('cleanup:after-delete');
    return `deleted public wrap key ${formatId(id)}`;
  },
};
