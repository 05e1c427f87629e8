/**
 * The common path of every Put*, Generate* and import command (PROTOCOL.md 4.4 rule 3, 5.0): session capability,
 * an algorithm valid for the type and enabled, capabilities/delegated within the session key's delegated set,
 * domains within its domains, a free (type, id) (id 0 = the device picks), room in storage; then the object is
 * stored with the next sequence number of its (type, id).
 */
import type { Capabilities, CapabilityName } from '../protocol/capabilities.js';
import { algorithmName, validKeyAlgorithmsFor } from '../protocol/algorithms.js';
import { encodeLabel, LABEL_LENGTH } from '../protocol/label.js';
import { objectTypeName } from '../protocol/object-types.js';
import { checkCreate, requireSessionCapability } from './access.js';
import { E, fail } from './fail.js';
import { requireAlgorithmEnabled, sessionAuth, type HandlerContext } from './handler.js';
import { bodyLength, objectLength } from './objects.js';
import type { SimObject } from './state.js';
import { allocateId, checkRoom, insertObject } from './store.js';

export interface NewObjectFields {
  id: number;
  label: string | Uint8Array;
  domains: number;
  capabilities: Capabilities;
  algorithm: number;
  delegatedCapabilities?: Capabilities;
}

/** Checks everything that does not need the key material (call before generating a key). Returns the id to use. */
export function precheckCreate(ctx: HandlerContext, type: number, req: NewObjectFields, capability: CapabilityName): number {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, capability);
  if (!validKeyAlgorithmsFor(type).includes(req.algorithm)) {
    fail(E.INVALID_DATA, `Algorithm ${algorithmName(req.algorithm)} is not valid for a ${objectTypeName(type)}.`);
  }
  requireAlgorithmEnabled(ctx, req.algorithm);
  checkCreate(auth, { domains: req.domains, capabilities: req.capabilities, delegated: req.delegatedCapabilities });
  return allocateId(ctx.contents, type, req.id);
}

export function rawLabel(label: string | Uint8Array): Uint8Array {
  if (typeof label !== 'string' && label.length === LABEL_LENGTH) return label.slice();
  return encodeLabel(label);
}

/** Stores the object after precheckCreate; returns its id. */
export function storeNew(
  ctx: HandlerContext,
  type: number,
  id: number,
  req: NewObjectFields,
  material: Uint8Array,
  origin: number,
): SimObject {
  checkRoom(ctx.contents, bodyLength(type, req.algorithm, material), objectLength);
  const obj = insertObject(ctx.contents, {
    type,
    id,
    algorithm: req.algorithm,
    label: rawLabel(req.label),
    domains: req.domains,
    capabilities: req.capabilities,
    delegated: req.delegatedCapabilities ?? 0n,
    origin,
    material,
  });
  ctx.audit.target = id;
  ctx.changed();
  return obj;
}
