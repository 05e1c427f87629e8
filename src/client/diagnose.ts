/**
 * Turns INSUFFICIENT_PERMISSIONS (0x09) and OBJECT_NOT_FOUND (0x0B) answers into errors that name the missing
 * capability and the object lacking it, or the object that could not be seen (PROTOCOL.md 4.4). The diagnosis
 * reads GetObjectInfo of the session's auth key and of the command's targets after the failure (no capability is
 * needed for GetObjectInfo); when those reads fail it falls back to naming what the command needs.
 */
import { Command } from '../protocol/command-codes.js';
import { DeviceErrorCode } from '../protocol/device-errors.js';
import { formatDomains } from '../protocol/domains.js';
import { formatId } from '../protocol/ids.js';
import { ObjectType } from '../protocol/object-types.js';
import {
  commandLabel,
  describeObject,
  HsmDeviceError,
  HsmObjectNotFoundError,
  HsmPermissionError,
  type MissingPermission,
} from './errors.js';
import { diagnosePermissions, requirementsFor, type InfoLookup, type Requirements } from './permissions.js';

function who(m: MissingPermission): string {
  return m.role === 'auth key' ? `auth key ${formatId(m.object.id)}` : `${m.role} ${describeObject(m.object)}`;
}

function explainOne(m: MissingPermission, command: string, req: Requirements): string {
  const list = m.missing.join(',');
  switch (m.kind) {
    case 'capability':
      return m.role === 'auth key'
        ? `${who(m)} lacks capability ${list} needed for ${command}; open the session with an auth key that has it, ` +
            `or put a new auth key whose capabilities include ${list} (capabilities cannot be changed after creation)`
        : `${who(m)} lacks capability ${list} needed for ${command}; capabilities cannot be changed after creation, ` +
            `so re-create or re-import the object with ${list} among its capabilities`;
    case 'delegated':
      if (m.role === 'auth key') {
        return `${who(m)} cannot grant ${list} to the new object (not in its delegated capabilities); drop ${list} from ` +
          `the request or use an auth key whose delegated capabilities include ${list}`;
      }
      if (req.export) {
        return `${who(m)} does not delegate ${list}, which the exported ${describeObject(req.export.target)} holds ` +
          `(every capability of an exported object must be in the wrap key's delegated capabilities); put the wrap ` +
          `key again with delegated capabilities including ${list}`;
      }
      return `${who(m)} does not delegate ${list} requested for the imported object; request only capabilities ` +
        `within the wrap key's delegated capabilities, or put the wrap key again with ${list} delegated`;
    case 'domain':
      return `${who(m)} is not in domain ${list} requested for the new object; choose domains the auth key has`;
    case 'exportable':
      return `${who(m)} lacks exportable-under-wrap, so no wrap key can export it; only objects created with ` +
        `exportable-under-wrap can be exported (generate or import a new one with it)`;
  }
}

function requirementSummary(req: Requirements): string {
  const parts: string[] = [];
  if (req.import) parts.push(`the imported object's capabilities within the delegated capabilities of wrap key ${formatId(req.import.wrap.id)}`);
  if (req.session.length) parts.push(`capability ${req.session.join(',')} on the auth key`);
  for (const o of req.objects) if (o.caps.length) parts.push(`${o.caps.join(',')} on ${o.role} ${describeObject(o)}`);
  if (req.create) parts.push('the new object\'s capabilities within the auth key\'s delegated capabilities and domains');
  if (req.export) parts.push(`exportable-under-wrap on ${describeObject(req.export.target)} and all its capabilities delegated by the wrap key`);
  return parts.length ? parts.join('; ') : 'a capability or domain the session lacks';
}

/** INSUFFICIENT_PERMISSIONS -> HsmPermissionError naming what is missing where. */
export async function explainPermissionError(
  command: number,
  payload: Uint8Array,
  authKeyId: number,
  lookup: InfoLookup,
): Promise<HsmPermissionError> {
  const label = commandLabel(command);
  const req = requirementsFor(command, payload);
  let missing: MissingPermission[] = [];
  try {
    missing = await diagnosePermissions(req, { type: ObjectType.AUTHENTICATION_KEY, id: authKeyId }, lookup);
  } catch {
    missing = [];
  }
  const head = `${label} refused (INSUFFICIENT_PERMISSIONS): `;
  const message = missing.length
    ? head + missing.map((m) => explainOne(m, label, req)).join('; ') + '.'
    : head + `it needs ${requirementSummary(req)}; the client could not tell which is missing. ` +
      `Check them with GetObjectInfo on auth key ${formatId(authKeyId)} and the objects named.`;
  return new HsmPermissionError(command, message, missing);
}

/** OBJECT_NOT_FOUND -> HsmObjectNotFoundError naming the object(s) the session cannot see. */
export async function explainNotFound(
  command: number,
  payload: Uint8Array,
  authKeyId: number,
  lookup: InfoLookup,
): Promise<HsmObjectNotFoundError> {
  const label = commandLabel(command);
  const req = requirementsFor(command, payload);
  const absent: { type: number; id: number }[] = [];
  let authDomains: number | undefined;
  try {
    authDomains = (await lookup({ type: ObjectType.AUTHENTICATION_KEY, id: authKeyId }))?.domains;
    for (const o of req.objects) {
      if (absent.some((a) => a.type === o.type && a.id === o.id)) continue;
      if (!(await lookup(o))) absent.push({ type: o.type, id: o.id });
    }
  } catch {
    // best effort: fall through with what we know
  }
  const named = absent.length ? absent : req.objects.map((o) => ({ type: o.type, id: o.id }));
  const domains = authDomains === undefined ? '' : ` (domains ${formatDomains(authDomains)})`;
  const what = named.length ? named.map(describeObject).join(' or ') : 'an object it addresses';
  const message =
    `${label} failed (OBJECT_NOT_FOUND): ${what} not found. It does not exist or shares no domain with auth key ` +
    `${formatId(authKeyId)}${domains}; check the id and the type (ListObjects shows what this session can see), ` +
    `and that the object is in one of the auth key's domains.`;
  return new HsmObjectNotFoundError(command, message, named);
}

/** Errors the client can explain better by reading device state. */
export function needsDiagnosis(deviceCode: number): boolean {
  return deviceCode === DeviceErrorCode.INSUFFICIENT_PERMISSIONS || deviceCode === DeviceErrorCode.OBJECT_NOT_FOUND;
}

/** Messages for device errors whose meaning depends on the command (no device reads needed). */
export function commandSpecificError(command: number, deviceCode: number, payload: Uint8Array, authKeyId: number): HsmDeviceError | undefined {
  if (command === Command.CHANGE_AUTHENTICATION_KEY && deviceCode === DeviceErrorCode.INVALID_ID) {
    const target = payload.length >= 2 ? (payload[0] << 8) | payload[1] : 0;
    return new HsmDeviceError(
      command,
      deviceCode,
      `ChangeAuthenticationKey failed (INVALID_ID): a session can change only its own authentication key (${formatId(authKeyId)}), ` +
        `not ${formatId(target)}; open a session with ${formatId(target)} to change it.`,
    );
  }
  return undefined;
}

/**
 * WrapData/UnwrapData with a key lacking wrap-data/unwrap-data: firmware before 2.5 answers INVALID_DATA instead of
 * INSUFFICIENT_PERMISSIONS (PROTOCOL.md 1.3). When the diagnosis finds the missing capability, the error keeps the
 * device's code but names it; otherwise undefined (a plain INVALID_DATA).
 */
export async function explainPre25DataWrap(
  command: number,
  payload: Uint8Array,
  authKeyId: number,
  lookup: InfoLookup,
): Promise<HsmDeviceError | undefined> {
  if (command !== Command.WRAP_DATA && command !== Command.UNWRAP_DATA) return undefined;
  const label = commandLabel(command);
  const req = requirementsFor(command, payload);
  let missing: MissingPermission[] = [];
  try {
    missing = await diagnosePermissions(req, { type: ObjectType.AUTHENTICATION_KEY, id: authKeyId }, lookup);
  } catch {
    return undefined;
  }
  if (missing.length === 0) return undefined;
  return new HsmDeviceError(
    command,
    DeviceErrorCode.INVALID_DATA,
    `${label} failed with INVALID_DATA, which firmware before 2.5 answers for a missing capability: ` +
      missing.map((m) => explainOne(m, label, req)).join('; ') + '.',
  );
}
