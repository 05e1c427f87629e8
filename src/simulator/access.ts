/**
 * The access-control rules of PROTOCOL.md 4.4 in one place, each failing with the device's own error code:
 *   1. visibility: an object outside the session's domains does not exist (OBJECT_NOT_FOUND);
 *   2. use: the capability must be on the session's authentication key and on the object (INSUFFICIENT_PERMISSIONS);
 *   3. create: the session's put/generate capability, requested capabilities within the key's delegated set,
 *      requested domains within the key's domains, a delegated set within the key's delegated set;
 *   4. read commands (GetOpaque, GetTemplate, GetOption, GetLogEntries, GetPseudoRandom): session capability only;
 *   5. delete: the session's delete-<type> capability;
 *   6. export under wrap: session and wrap key export-wrapped, target exportable-under-wrap, every target
 *      capability within the wrap key's delegated set;
 *   7. import under wrap: session and wrap key import-wrapped, imported capabilities within the wrap key's
 *      delegated set, (type, id) free (OBJECT_EXISTS).
 */
import { capabilityMask, deleteCapability, type Capabilities, type CapabilityName } from '../protocol/capabilities.js';
import { formatId } from '../protocol/ids.js';
import { objectTypeName } from '../protocol/object-types.js';
import { E, fail } from './fail.js';
import { objectKey, type DeviceContents, type SimObject } from './state.js';

/** What a session may do: a snapshot of its authentication key taken when the session was opened. */
export interface SessionAuth {
  authKeyId: number;
  domains: number;
  capabilities: Capabilities;
  delegated: Capabilities;
}

function describe(type: number, id: number): string {
  return `${objectTypeName(type)} ${formatId(id)}`;
}

/** Rule 4 and the session half of rules 2, 3, 5, 6, 7: the session's key must hold `cap`. */
export function requireSessionCapability(auth: SessionAuth, cap: CapabilityName): void {
  if ((auth.capabilities & capabilityMask(cap)) === 0n) {
    fail(E.INSUFFICIENT_PERMISSIONS, `Authentication key ${formatId(auth.authKeyId)} lacks ${cap}.`);
  }
}

/** Rule 1: the object with (type, id) that the session can see, or OBJECT_NOT_FOUND. */
export function findVisible(contents: DeviceContents, auth: SessionAuth, type: number, id: number): SimObject {
  const obj = contents.objects.get(objectKey(type, id));
  if (!obj || (obj.domains & auth.domains) === 0) fail(E.OBJECT_NOT_FOUND, `No ${describe(type, id)} visible to this session.`);
  return obj;
}

/** Rule 2: `cap` on both the session's key and the object (effective capabilities). */
export function requireUse(auth: SessionAuth, obj: SimObject, cap: CapabilityName): void {
  requireSessionCapability(auth, cap);
  if ((obj.capabilities & capabilityMask(cap)) === 0n) {
    fail(E.INSUFFICIENT_PERMISSIONS, `${describe(obj.type, obj.id)} lacks ${cap}.`);
  }
}

/** Looks up a key the session uses for `cap`: session capability first, then visibility, then the key's capability. */
export function useObject(
  contents: DeviceContents,
  auth: SessionAuth,
  type: number,
  id: number,
  cap: CapabilityName,
): SimObject {
  requireSessionCapability(auth, cap);
  const obj = findVisible(contents, auth, type, id);
  requireUse(auth, obj, cap);
  return obj;
}

export interface CreateRequest {
  domains: number;
  capabilities: Capabilities;
  /** Only for authentication keys, wrap keys and public wrap keys. */
  delegated?: Capabilities;
}

/** Rule 3: may this session create an object with these attributes? */
export function checkCreate(auth: SessionAuth, req: CreateRequest): void {
  if (req.domains === 0) fail(E.INVALID_DATA, 'An object needs at least one domain.');
  if ((req.domains & ~auth.domains) !== 0) {
    fail(E.INSUFFICIENT_PERMISSIONS, `Requested domains 0x${req.domains.toString(16)} are not all domains of the session's key.`);
  }
  if ((req.capabilities & ~auth.delegated) !== 0n) {
    fail(E.INSUFFICIENT_PERMISSIONS, "Requested capabilities are not all within the session key's delegated capabilities.");
  }
  if (req.delegated !== undefined && (req.delegated & ~auth.delegated) !== 0n) {
    fail(E.INSUFFICIENT_PERMISSIONS, "Requested delegated capabilities are not all within the session key's delegated capabilities.");
  }
}

/** Rule 5. */
export function requireDelete(auth: SessionAuth, type: number): void {
  const cap = deleteCapability[type];
  if (cap === undefined) fail(E.INVALID_DATA, `Object type 0x${type.toString(16)} does not exist.`);
  requireSessionCapability(auth, cap);
}

/** Rule 6, after the wrap key and the target were found (visibility already checked). */
export function checkExport(auth: SessionAuth, wrapKey: SimObject, target: SimObject): void {
  requireUse(auth, wrapKey, 'export-wrapped');
  if ((target.capabilities & capabilityMask('exportable-under-wrap')) === 0n) {
    fail(E.INSUFFICIENT_PERMISSIONS, `${describe(target.type, target.id)} is not exportable-under-wrap.`);
  }
  if ((target.capabilities & ~wrapKey.delegated) !== 0n) {
    fail(
      E.INSUFFICIENT_PERMISSIONS,
      `${describe(target.type, target.id)} has capabilities outside the delegated capabilities of ${describe(wrapKey.type, wrapKey.id)}.`,
    );
  }
}

/** Rule 7, once the imported object's attributes are known. */
export function checkImport(contents: DeviceContents, auth: SessionAuth, wrapKey: SimObject, obj: { type: number; id: number; capabilities: Capabilities }): void {
  requireUse(auth, wrapKey, 'import-wrapped');
  if ((obj.capabilities & ~wrapKey.delegated) !== 0n) {
    fail(E.INSUFFICIENT_PERMISSIONS, `The imported object has capabilities outside the delegated capabilities of ${describe(wrapKey.type, wrapKey.id)}.`);
  }
  if (obj.id !== 0 && contents.objects.has(objectKey(obj.type, obj.id))) fail(E.OBJECT_EXISTS, `${describe(obj.type, obj.id)} already exists.`);
}
