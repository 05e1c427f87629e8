/**
 * List Objects 0x48: the objects visible to the session (sharing a domain with its key) that match every filter
 * given: id, type, algorithm and label exactly, domains and capabilities by overlap. No capability. PROTOCOL.md 5.2.
 */
import { listObjects, type ListedObject } from '../../protocol/commands/list-objects.js';
import { rawLabel } from '../create.js';
import { defineHandler, sessionAuth } from '../handler.js';

export const listObjectsHandler = defineHandler(listObjects, (ctx, f): ListedObject[] => {
  const auth = sessionAuth(ctx);
  const label = f.label === undefined ? undefined : rawLabel(f.label);
  const out: ListedObject[] = [];
  for (const o of ctx.contents.objects.values()) {
    if ((o.domains & auth.domains) === 0) continue;
    if (f.id !== undefined && o.id !== f.id) continue;
    if (f.type !== undefined && o.type !== f.type) continue;
    if (f.domains !== undefined && (o.domains & f.domains) === 0) continue;
    if (f.capabilities !== undefined && (o.capabilities & f.capabilities) === 0n) continue;
    if (f.algorithm !== undefined && o.algorithm !== f.algorithm) continue;
    if (label !== undefined && Buffer.compare(Buffer.from(label), Buffer.from(o.label)) !== 0) continue;
    out.push({ id: o.id, type: o.type, sequence: o.sequence });
  }
  return out;
});
