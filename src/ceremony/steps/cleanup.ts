/** Clean up: the public wrap key served its purpose and leaves the HSM (no wrap key left behind). */
import { formatId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyStep } from '../context.js';
import { findObject } from './hsm-objects.js';

export const cleanup: CeremonyStep = {
  name: 'cleanup',
  async run(ctx) {
    const id = ctx.config.wrapKey.id;
    const existing = await findObject(ctx.session, ObjectType.PUBLIC_WRAP_KEY, id);
    if (!existing) return `no public wrap key ${formatId(id)} in the HSM`;
    await ctx.checkpoint('cleanup:before-delete');
    await ctx.session.deleteObject(ObjectType.PUBLIC_WRAP_KEY, id);
    await ctx.checkpoint('cleanup:after-delete');
    return `deleted public wrap key ${formatId(id)}`;
  },
};
