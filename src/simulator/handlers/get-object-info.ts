/** Get Object Info 0x4E: the 66-byte description of a visible object; no capability. PROTOCOL.md 5.2. */
import { getObjectInfo } from '../../protocol/commands/get-object-info.js';
import { findVisible } from '../access.js';
import { defineHandler, sessionAuth } from '../handler.js';
import { objectLength } from '../objects.js';

export const getObjectInfoHandler = defineHandler(getObjectInfo, (ctx, q) => {
  const o = findVisible(ctx.contents, sessionAuth(ctx), q.type, q.id);
  ctx.audit.target = o.id;
  return {
    capabilities: o.capabilities,
    id: o.id,
    length: objectLength(o),
    domains: o.domains,
    type: o.type,
    algorithm: o.algorithm,
    sequence: o.sequence,
    origin: o.origin,
    label: o.label.slice(),
    delegatedCapabilities: o.delegated,
  };
});
