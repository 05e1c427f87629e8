/** Seed step 1: generate the key in the HSM with the least capabilities (its use plus exportable-under-wrap). */
import { AsymmetricKey, SymmetricKey } from '../../client/index.js';
import { formatCapabilities } from '../../protocol/capabilities.js';
import { formatId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyStep } from '../context.js';
import { keySpecs } from '../key-specs.js';
import { findObject, keyCapabilities } from './hsm-objects.js';

export const hsmGenerateKey: CeremonyStep = {
  name: 'hsm-generate-key',
  async run(ctx) {
    const { session, config: c, state } = ctx;
    const spec = keySpecs[c.key.keySpec];
    const existing = await findObject(session, spec.objectType, c.key.id);
    if (existing) {
      state.key = existing;
      return `${formatId(c.key.id)} already present (sequence ${existing.sequence})`;
    }
    const caps = keyCapabilities(c);
    const options = { id: c.key.id, label: c.key.label, domains: c.key.domains, capabilities: caps, algorithm: spec.algorithm };
    await ctx.checkpoint('hsm-generate-key:before-generate');
    if (spec.objectType === ObjectType.SYMMETRIC_KEY) await SymmetricKey.generate(session, options);
    else await AsymmetricKey.generate(session, options);
    await ctx.checkpoint('hsm-generate-key:after-generate');
    state.key = await session.getObjectInfo(spec.objectType, c.key.id);
    return `generated ${formatId(c.key.id)} with ${formatCapabilities(caps)}`;
  },
};
