/**
 * The shared creation blocks of PROTOCOL.md 5.0: `NEW` (53 bytes: id, label, domains, capabilities,
 * algorithm) and `NEWD` (61 bytes: NEW ‖ delegated capabilities).
 */
import type { Capabilities } from './capabilities.js';
import type { Domains } from './domains.js';
import { Reader, Writer } from './bytes.js';
import { encodeLabel, LABEL_LENGTH } from './label.js';

export interface NewObject {
  /** 0 asks the device to choose. */
  id: number;
  /** Raw 40-byte label or a string (encoded as UTF-8 and 0-padded). */
  label: string | Uint8Array;
  domains: Domains;
  capabilities: Capabilities;
  algorithm: number;
}

export interface NewObjectDelegated extends NewObject {
  delegatedCapabilities: Capabilities;
}

/** Decoded form: the label stays as its raw 40 bytes. */
export interface DecodedNewObject extends NewObject {
  label: Uint8Array;
}
export interface DecodedNewObjectDelegated extends NewObjectDelegated {
  label: Uint8Array;
}

export const NEW_LENGTH = 53;
export const NEWD_LENGTH = 61;

export function writeNew(w: Writer, o: NewObject): Writer {
  return w.u16(o.id).bytes(encodeLabel(o.label)).u16(o.domains).u64(o.capabilities).u8(o.algorithm);
}

export function writeNewD(w: Writer, o: NewObjectDelegated): Writer {
  return writeNew(w, o).u64(o.delegatedCapabilities);
}

export function readNew(r: Reader): DecodedNewObject {
  return {
    id: r.u16('object id'),
    label: r.bytesN(LABEL_LENGTH, 'label').slice(),
    domains: r.u16('domains'),
    capabilities: r.u64('capabilities'),
    algorithm: r.u8('algorithm'),
  };
}

export function readNewD(r: Reader): DecodedNewObjectDelegated {
  const base = readNew(r);
  return { ...base, delegatedCapabilities: r.u64('delegated capabilities') };
}
