/**
 * The base of the object classes (python-yubihsm style: one class per object type, PROTOCOL.md 4.2) and the
 * options every Put/Generate takes (the NEW / NEWD blocks of PROTOCOL.md 5.0): id (0 = device chooses), label
 * (at most 40 bytes), domains, capabilities and, for auth keys and wrap keys, delegated capabilities.
 * Capabilities may be a bigint, shell syntax (`"sign-ecdsa,exportable-under-wrap"`) or a list of names; domains a
 * bitmap or shell syntax (`"1,2"`, `"all"`); algorithms a code or a yubihsm-shell name (`"ecp256"`).
 */
import { UsageError } from '../../errors.js';
import { algorithmName, parseAlgorithm, validKeyAlgorithmsFor } from '../../protocol/algorithms.js';
import { capabilities as fromNames, parseCapabilities, type Capabilities, type CapabilityName } from '../../protocol/capabilities.js';
import { deleteObject } from '../../protocol/commands/delete-object.js';
import { exportRsaWrapped } from '../../protocol/commands/export-rsa-wrapped.js';
import { exportWrapped } from '../../protocol/commands/export-wrapped.js';
import { getRsaWrappedKey } from '../../protocol/commands/get-rsa-wrapped-key.js';
import { getObjectInfo, type ObjectInfo } from '../../protocol/commands/get-object-info.js';
import { parseDomains, type Domains } from '../../protocol/domains.js';
import { formatId, objectId } from '../../protocol/ids.js';
import { decodeLabel, encodeLabel } from '../../protocol/label.js';
import type { NewObject, NewObjectDelegated } from '../../protocol/new-object.js';
import { objectTypeName, type ObjectTypeCode } from '../../protocol/object-types.js';
import type { HsmSession } from '../session.js';
import type { PublicWrapKey } from './public-wrap-key.js';
import { wrapSelectors, type RsaWrapOptions } from './rsa-wrap-options.js';
import type { WrapKey } from './wrap-key.js';

export type CapabilitiesInput = Capabilities | string | readonly CapabilityName[];
export type DomainsInput = Domains | string;
export type AlgorithmInput = number | string;

export interface CreateOptions {
  /** 0x0001-0xFFFE, or 0 / omitted to let the device choose. */
  id?: number;
  /** At most 40 bytes (UTF-8); default empty. */
  label?: string | Uint8Array;
  domains: DomainsInput;
  capabilities: CapabilitiesInput;
}

export interface CreateOptionsDelegated extends CreateOptions {
  /** Capabilities objects created or imported through this key may have. */
  delegatedCapabilities: CapabilitiesInput;
}

/** GetObjectInfo plus the label decoded as text. */
export interface ObjectDetails extends ObjectInfo {
  labelText: string;
}

export function toCapabilities(v: CapabilitiesInput, what = 'capabilities'): Capabilities {
  if (typeof v === 'bigint') {
    if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw new UsageError('HSM_BAD_ARGUMENT', `${what} must fit 64 bits.`);
    return v;
  }
  if (typeof v === 'string') return parseCapabilities(v);
  if (Array.isArray(v)) return fromNames(...(v as CapabilityName[]));
  throw new UsageError('HSM_BAD_ARGUMENT', `${what} must be a bigint, a comma-separated list of names, or an array of names.`);
}

export function toDomains(v: DomainsInput): Domains {
  const d = typeof v === 'string' ? parseDomains(v) : v;
  if (!Number.isInteger(d) || d < 1 || d > 0xffff) {
    throw new UsageError('HSM_BAD_ARGUMENT', `Domains must name at least one of domains 1-16 (e.g. "1" or "1,2" or 0x0001), got ${String(v)}.`);
  }
  return d;
}

/** An algorithm valid for creating an object of `type`. */
export function toAlgorithm(v: AlgorithmInput, type: ObjectTypeCode): number {
  const a = typeof v === 'string' ? parseAlgorithm(v) : v;
  const valid = validKeyAlgorithmsFor(type);
  if (!valid.includes(a)) {
    throw new UsageError(
      'HSM_BAD_ALGORITHM',
      `${algorithmName(a)} is not an algorithm for ${objectTypeName(type)} objects; use one of ${valid.map(algorithmName).join(', ')}.`,
    );
  }
  return a;
}

function newId(id: number | undefined): number {
  return id === undefined || id === 0 ? 0 : objectId(id);
}

export function newObject(o: CreateOptions, algorithm: number): NewObject {
  encodeLabel(o.label ?? ''); // length check before any I/O
  return { id: newId(o.id), label: o.label ?? '', domains: toDomains(o.domains), capabilities: toCapabilities(o.capabilities), algorithm };
}

export function newObjectDelegated(o: CreateOptionsDelegated, algorithm: number): NewObjectDelegated {
  return { ...newObject(o, algorithm), delegatedCapabilities: toCapabilities(o.delegatedCapabilities, 'delegated capabilities') };
}

/** Base of every object class: a (type, id) pair seen through a session. */
export abstract class YubiHsmObject<I extends number = number> {
  /** The object type this class stands for. */
  abstract readonly type: ObjectTypeCode;

  constructor(
    readonly session: HsmSession,
    readonly id: I,
  ) {}

  /** GetObjectInfo (no capability needed). */
  async getInfo(): Promise<ObjectDetails> {
    const info = await this.session.call(getObjectInfo, { id: this.id, type: this.type });
    return { ...info, labelText: decodeLabel(info.label) };
  }

  /** DeleteObject; needs the session capability delete-<type>. */
  delete(): Promise<void> {
    return this.session.call(deleteObject, { id: this.id, type: this.type });
  }

  /** ExportWrapped (0x4A) under an AES-CCM wrap key: the whole object, for ImportWrapped on a YubiHSM. */
  exportWrapped(wrapKey: WrapKey, o: { format?: number } = {}): Promise<Uint8Array> {
    return this.session.call(exportWrapped, { wrapKeyId: wrapKey.id, type: this.type, id: this.id, format: o.format });
  }

  /** ExportRsaWrapped (0x76, firmware 2.4): the whole object under a public wrap key, for ImportRsaWrapped. */
  exportRsaWrapped(wrapKey: PublicWrapKey, o: RsaWrapOptions = {}): Promise<Uint8Array> {
    return this.session.call(exportRsaWrapped, { wrapKeyId: wrapKey.id, type: this.type, id: this.id, ...wrapSelectors(o) });
  }

  /**
   * GetRsaWrappedKey (0x74, firmware 2.4) for asymmetric and symmetric keys: the key material (PKCS#8 or raw AES)
   * as RSA-OAEP(K_eph) ‖ AES-KWP(K_eph, material) for the holder of the public wrap key's private half; with the
   * defaults this is AWS KMS RSA_AES_KEY_WRAP_SHA_256. Needs export-wrapped on the session and the wrap key,
   * exportable-under-wrap on this key and all of this key's capabilities among the wrap key's delegated ones.
   */
  protected rsaWrappedKeyMaterial(wrapKey: PublicWrapKey, o: RsaWrapOptions): Promise<Uint8Array> {
    return this.session.call(getRsaWrappedKey, { wrapKeyId: wrapKey.id, type: this.type, id: this.id, ...wrapSelectors(o) });
  }

  /** `asymmetric-key 0x0100`. */
  toString(): string {
    return `${objectTypeName(this.type)} ${formatId(this.id)}`;
  }
}
