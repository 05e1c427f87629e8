/**
 * What each command needs from the device's access control (PROTOCOL.md 4.3 "Checked on" and 4.4 rules 2-7),
 * read from the request payload the client sent. Used after an INSUFFICIENT_PERMISSIONS or OBJECT_NOT_FOUND
 * answer to work out which capability is missing on which object (`diagnosePermissions`), so the error can name
 * them. Offsets are those of PROTOCOL.md 5.x; a payload too short for them yields fewer requirements, never a throw.
 */
import { capabilityMask, capabilityNames, deleteCapability, type Capabilities, type CapabilityName } from '../protocol/capabilities.js';
import { Command } from '../protocol/command-codes.js';
import type { ObjectInfo } from '../protocol/commands/get-object-info.js';
import { domainList } from '../protocol/domains.js';
import { ObjectType } from '../protocol/object-types.js';
import type { MissingPermission } from './errors.js';

export interface ObjectNeed {
  /** Role in the command, for messages: `key`, `wrap key`, `public wrap key`, `attesting key`, ... */
  role: string;
  type: number;
  id: number;
  /** Capabilities the object itself must hold (use operations: intersection rule 4.4.2). Empty = must be visible. */
  caps: CapabilityName[];
}

export interface Requirements {
  /** Capabilities the session's authentication key must hold. */
  session: CapabilityName[];
  /** Objects the command addresses. */
  objects: ObjectNeed[];
  /** Creation (4.4.3): requested capabilities/delegated/domains bounded by the auth key. */
  create?: { capabilities: Capabilities; delegated?: Capabilities; domains: number };
  /** Export under wrap (4.4.6): the target must be exportable and its caps within the wrap key's delegated set. */
  export?: { wrap: { type: number; id: number; role: string }; target: { type: number; id: number } };
  /** Import under wrap (4.4.7): the imported capabilities (when the request states them) within the wrap key's delegated set. */
  import?: { wrap: { type: number; id: number; role: string }; capabilities?: Capabilities; domains?: number };
}

/** Use operations: command -> (capability, target type, role). The target id is the first u16 of the payload. */
const useOps: Partial<Record<number, [CapabilityName, number, string]>> = {
  [Command.SIGN_PKCS1]: ['sign-pkcs', ObjectType.ASYMMETRIC_KEY, 'key'],
  [Command.SIGN_PSS]: ['sign-pss', ObjectType.ASYMMETRIC_KEY, 'key'],
  [Command.SIGN_ECDSA]: ['sign-ecdsa', ObjectType.ASYMMETRIC_KEY, 'key'],
  [Command.SIGN_EDDSA]: ['sign-eddsa', ObjectType.ASYMMETRIC_KEY, 'key'],
  [Command.DECRYPT_PKCS1]: ['decrypt-pkcs', ObjectType.ASYMMETRIC_KEY, 'key'],
  [Command.DECRYPT_OAEP]: ['decrypt-oaep', ObjectType.ASYMMETRIC_KEY, 'key'],
  [Command.DERIVE_ECDH]: ['derive-ecdh', ObjectType.ASYMMETRIC_KEY, 'key'],
  [Command.SIGN_HMAC]: ['sign-hmac', ObjectType.HMAC_KEY, 'HMAC key'],
  [Command.VERIFY_HMAC]: ['verify-hmac', ObjectType.HMAC_KEY, 'HMAC key'],
  [Command.DECRYPT_OTP]: ['decrypt-otp', ObjectType.OTP_AEAD_KEY, 'OTP AEAD key'],
  [Command.CREATE_OTP_AEAD]: ['create-otp-aead', ObjectType.OTP_AEAD_KEY, 'OTP AEAD key'],
  [Command.RANDOMIZE_OTP_AEAD]: ['randomize-otp-aead', ObjectType.OTP_AEAD_KEY, 'OTP AEAD key'],
  [Command.WRAP_DATA]: ['wrap-data', ObjectType.WRAP_KEY, 'wrap key'],
  [Command.UNWRAP_DATA]: ['unwrap-data', ObjectType.WRAP_KEY, 'wrap key'],
  [Command.ENCRYPT_ECB]: ['encrypt-ecb', ObjectType.SYMMETRIC_KEY, 'symmetric key'],
  [Command.DECRYPT_ECB]: ['decrypt-ecb', ObjectType.SYMMETRIC_KEY, 'symmetric key'],
  [Command.ENCRYPT_CBC]: ['encrypt-cbc', ObjectType.SYMMETRIC_KEY, 'symmetric key'],
  [Command.DECRYPT_CBC]: ['decrypt-cbc', ObjectType.SYMMETRIC_KEY, 'symmetric key'],
};

/** Creation commands: command -> (session capability, whether the request is NEWD). */
const createOps: Partial<Record<number, [CapabilityName, boolean]>> = {
  [Command.PUT_OPAQUE]: ['put-opaque', false],
  [Command.PUT_AUTHENTICATION_KEY]: ['put-authentication-key', true],
  [Command.PUT_ASYMMETRIC_KEY]: ['put-asymmetric-key', false],
  [Command.GENERATE_ASYMMETRIC_KEY]: ['generate-asymmetric-key', false],
  [Command.PUT_WRAP_KEY]: ['put-wrap-key', true],
  [Command.GENERATE_WRAP_KEY]: ['generate-wrap-key', true],
  [Command.PUT_HMAC_KEY]: ['put-mac-key', false],
  [Command.GENERATE_HMAC_KEY]: ['generate-hmac-key', false],
  [Command.PUT_TEMPLATE]: ['put-template', false],
  [Command.PUT_OTP_AEAD_KEY]: ['put-otp-aead-key', false],
  [Command.GENERATE_OTP_AEAD_KEY]: ['generate-otp-aead-key', false],
  [Command.PUT_SYMMETRIC_KEY]: ['put-symmetric-key', false],
  [Command.GENERATE_SYMMETRIC_KEY]: ['generate-symmetric-key', false],
  [Command.PUT_PUBLIC_WRAPKEY]: ['put-public-wrap-key', true],
};

/** Session-only capabilities (4.4 rule 4 and others). */
const sessionOnly: Partial<Record<number, CapabilityName>> = {
  [Command.GET_LOG_ENTRIES]: 'get-log-entries',
  [Command.SET_LOG_INDEX]: 'get-log-entries',
  [Command.SET_OPTION]: 'set-option',
  [Command.GET_OPTION]: 'get-option',
  [Command.GET_PSEUDO_RANDOM]: 'get-pseudo-random',
  [Command.RESET_DEVICE]: 'reset-device',
  [Command.CHANGE_AUTHENTICATION_KEY]: 'change-authentication-key',
};

function u16(p: Uint8Array, off: number): number | undefined {
  return p.length >= off + 2 ? (p[off] << 8) | p[off + 1] : undefined;
}
function u64(p: Uint8Array, off: number): bigint | undefined {
  if (p.length < off + 8) return undefined;
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(p[off + i]);
  return v;
}

/** Reads what `command` with this request payload needs (PROTOCOL.md 4.4, payload layouts of section 5). */
export function requirementsFor(command: number, payload: Uint8Array): Requirements {
  const req: Requirements = { session: [], objects: [] };
  const id0 = u16(payload, 0);
  const use = useOps[command];
  if (use) {
    req.session.push(use[0]);
    if (id0 !== undefined) req.objects.push({ role: use[2], type: use[1], id: id0, caps: [use[0]] });
    return req;
  }
  const create = createOps[command];
  if (create) {
    req.session.push(create[0]);
    const caps = u64(payload, 44);
    const domains = u16(payload, 42);
    if (caps !== undefined && domains !== undefined) {
      req.create = { capabilities: caps, domains, delegated: create[1] ? u64(payload, 53) : undefined };
    }
    return req;
  }
  const only = sessionOnly[command];
  if (only) req.session.push(only);
  switch (command) {
    case Command.GET_OPAQUE:
      req.session.push('get-opaque');
      if (id0 !== undefined) req.objects.push({ role: 'opaque object', type: ObjectType.OPAQUE, id: id0, caps: [] });
      break;
    case Command.GET_TEMPLATE:
      req.session.push('get-template');
      if (id0 !== undefined) req.objects.push({ role: 'template', type: ObjectType.TEMPLATE, id: id0, caps: [] });
      break;
    case Command.GET_OBJECT_INFO:
    case Command.DELETE_OBJECT: {
      const type = payload[2];
      if (id0 === undefined || type === undefined) break;
      if (command === Command.DELETE_OBJECT && deleteCapability[type]) req.session.push(deleteCapability[type]);
      req.objects.push({ role: 'object', type, id: id0, caps: [] });
      break;
    }
    case Command.GET_PUBLIC_KEY:
      if (id0 !== undefined) req.objects.push({ role: 'key', type: payload[2] ?? ObjectType.ASYMMETRIC_KEY, id: id0, caps: [] });
      break;
    case Command.SIGN_ATTESTATION_CERTIFICATE: {
      req.session.push('sign-attestation-certificate');
      const attesting = u16(payload, 2);
      if (id0 !== undefined) req.objects.push({ role: 'key', type: ObjectType.ASYMMETRIC_KEY, id: id0, caps: [] });
      if (attesting) {
        req.objects.push({ role: 'attesting key', type: ObjectType.ASYMMETRIC_KEY, id: attesting, caps: ['sign-attestation-certificate'] });
        req.objects.push({ role: 'attestation template certificate', type: ObjectType.OPAQUE, id: attesting, caps: [] });
      }
      break;
    }
    case Command.SIGN_SSH_CERTIFICATE: {
      req.session.push('sign-ssh-certificate');
      const template = u16(payload, 2);
      if (id0 !== undefined) req.objects.push({ role: 'key', type: ObjectType.ASYMMETRIC_KEY, id: id0, caps: ['sign-ssh-certificate'] });
      if (template !== undefined) req.objects.push({ role: 'SSH template', type: ObjectType.TEMPLATE, id: template, caps: [] });
      break;
    }
    case Command.REWRAP_OTP_AEAD: {
      req.session.push('rewrap-from-otp-aead-key', 'rewrap-to-otp-aead-key');
      const to = u16(payload, 2);
      if (id0 !== undefined) req.objects.push({ role: 'source OTP AEAD key', type: ObjectType.OTP_AEAD_KEY, id: id0, caps: ['rewrap-from-otp-aead-key'] });
      if (to !== undefined) req.objects.push({ role: 'destination OTP AEAD key', type: ObjectType.OTP_AEAD_KEY, id: to, caps: ['rewrap-to-otp-aead-key'] });
      break;
    }
    case Command.EXPORT_WRAPPED:
    case Command.GET_RSA_WRAPPED_KEY:
    case Command.EXPORT_RSA_WRAPPED: {
      req.session.push('export-wrapped');
      const wrapType = command === Command.EXPORT_WRAPPED ? ObjectType.WRAP_KEY : ObjectType.PUBLIC_WRAP_KEY;
      const role = command === Command.EXPORT_WRAPPED ? 'wrap key' : 'public wrap key';
      const targetId = u16(payload, 3);
      if (id0 === undefined) break;
      req.objects.push({ role, type: wrapType, id: id0, caps: ['export-wrapped'] });
      if (targetId !== undefined) {
        req.objects.push({ role: 'exported object', type: payload[2], id: targetId, caps: [] });
        req.export = { wrap: { type: wrapType, id: id0, role }, target: { type: payload[2], id: targetId } };
      }
      break;
    }
    case Command.IMPORT_WRAPPED:
    case Command.PUT_RSA_WRAPPED_KEY:
    case Command.IMPORT_RSA_WRAPPED:
      req.session.push('import-wrapped');
      if (id0 === undefined) break;
      req.objects.push({ role: 'wrap key', type: ObjectType.WRAP_KEY, id: id0, caps: ['import-wrapped'] });
      req.import = {
        wrap: { type: ObjectType.WRAP_KEY, id: id0, role: 'wrap key' },
        capabilities: command === Command.PUT_RSA_WRAPPED_KEY ? u64(payload, 47) : undefined,
        domains: command === Command.PUT_RSA_WRAPPED_KEY ? u16(payload, 45) : undefined,
      };
      break;
    default:
      break;
  }
  return req;
}

/** Looks an object up on the device (GetObjectInfo); undefined when it cannot be seen. */
export type InfoLookup = (ref: { type: number; id: number }) => Promise<ObjectInfo | undefined>;

/**
 * Works out which rule of PROTOCOL.md 4.4 the device applied, reading the auth key's and the targets' info.
 * Returns every failing rule found; an empty list means the client could not tell (e.g. lookups failed).
 */
export async function diagnosePermissions(
  req: Requirements,
  authKey: { type: number; id: number },
  lookup: InfoLookup,
): Promise<MissingPermission[]> {
  const out: MissingPermission[] = [];
  const auth = await lookup(authKey);
  if (auth) {
    let need = 0n;
    for (const c of req.session) need |= capabilityMask(c);
    const lack = need & ~auth.capabilities;
    if (lack) out.push({ kind: 'capability', object: authKey, role: 'auth key', missing: capabilityNames(lack) });
    if (req.create) {
      let requested = req.create.capabilities;
      if (req.create.delegated !== undefined) requested |= req.create.delegated;
      const over = requested & ~auth.delegatedCapabilities;
      if (over) out.push({ kind: 'delegated', object: authKey, role: 'auth key', missing: capabilityNames(over) });
      const outside = req.create.domains & ~auth.domains;
      if (outside) out.push({ kind: 'domain', object: authKey, role: 'auth key', missing: domainList(outside).map(String) });
    }
    const importDomains = req.import?.domains;
    if (importDomains !== undefined && importDomains & ~auth.domains) {
      out.push({ kind: 'domain', object: authKey, role: 'auth key', missing: domainList(importDomains & ~auth.domains).map(String) });
    }
  }
  const infos = new Map<string, ObjectInfo | undefined>();
  const info = async (ref: { type: number; id: number }) => {
    const k = `${ref.type}:${ref.id}`;
    if (!infos.has(k)) infos.set(k, await lookup(ref));
    return infos.get(k);
  };
  for (const o of req.objects) {
    if (o.caps.length === 0) continue;
    const i = await info(o);
    if (!i) continue;
    let need = 0n;
    for (const c of o.caps) need |= capabilityMask(c);
    const lack = need & ~i.capabilities;
    if (lack) out.push({ kind: 'capability', object: { type: o.type, id: o.id }, role: o.role, missing: capabilityNames(lack) });
  }
  if (req.export) {
    const target = await info(req.export.target);
    const wrap = await info(req.export.wrap);
    if (target) {
      const exportable = capabilityMask('exportable-under-wrap');
      if (!(target.capabilities & exportable)) {
        out.push({ kind: 'exportable', object: req.export.target, role: 'exported object', missing: ['exportable-under-wrap'] });
      }
      if (wrap) {
        const over = target.capabilities & ~wrap.delegatedCapabilities;
        if (over) out.push({ kind: 'delegated', object: req.export.wrap, role: req.export.wrap.role, missing: capabilityNames(over) });
      }
    }
  }
  if (req.import?.capabilities !== undefined) {
    const wrap = await info(req.import.wrap);
    if (wrap) {
      const over = req.import.capabilities & ~wrap.delegatedCapabilities;
      if (over) out.push({ kind: 'delegated', object: req.import.wrap, role: req.import.wrap.role, missing: capabilityNames(over) });
    }
  }
  return out;
}
