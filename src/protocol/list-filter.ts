/**
 * The ListObjects filter (PROTOCOL.md 5.2): concatenated `tag ‖ value` items, the value length fixed by the tag
 * (no length byte): 01 id u16 · 02 type u8 · 03 domains u16 · 04 capabilities u64 · 05 algorithm u8 ·
 * 06 label 40 bytes. Items may come in any order (python writes 01..06, libyubihsm 01,02,03,05,06,04); each tag
 * at most once. Unknown tags are INVALID_DATA, truncated values WRONG_LENGTH. Pure codec; matching objects
 * against a filter is the device's job.
 */
import { ProtocolError } from '../errors.js';
import type { Capabilities } from './capabilities.js';
import { INVALID_DATA, Reader, Writer } from './bytes.js';
import { encodeLabel, LABEL_LENGTH } from './label.js';
import { own } from './commands/shared.js';

export interface ListFilter {
  id?: number;
  type?: number;
  /** Matches objects sharing any of these domains. */
  domains?: number;
  /** Matches objects having any of these capabilities. */
  capabilities?: Capabilities;
  algorithm?: number;
  /** Exact 40-byte label (a string is UTF-8 encoded and 0-padded); decoded as raw bytes. */
  label?: string | Uint8Array;
}

export const ListFilterTag = { ID: 0x01, TYPE: 0x02, DOMAINS: 0x03, CAPABILITIES: 0x04, ALGORITHM: 0x05, LABEL: 0x06 } as const;

/** Encodes the set fields in tag order 01..06 (python-yubihsm's order). */
export function encodeListFilter(f: ListFilter): Uint8Array {
  const w = new Writer(64);
  if (f.id !== undefined) w.u8(ListFilterTag.ID).u16(f.id);
  if (f.type !== undefined) w.u8(ListFilterTag.TYPE).u8(f.type);
  if (f.domains !== undefined) w.u8(ListFilterTag.DOMAINS).u16(f.domains);
  if (f.capabilities !== undefined) w.u8(ListFilterTag.CAPABILITIES).u64(f.capabilities);
  if (f.algorithm !== undefined) w.u8(ListFilterTag.ALGORITHM).u8(f.algorithm);
  if (f.label !== undefined) w.u8(ListFilterTag.LABEL).bytes(encodeLabel(f.label));
  return w.finish();
}

export function decodeListFilter(payload: Uint8Array): ListFilter {
  const r = new Reader(payload, 'ListObjects filter');
  const f: ListFilter = {};
  const seen = new Set<number>();
  while (r.remaining > 0) {
    const tag = r.u8('filter tag');
    if (seen.has(tag)) {
      throw new ProtocolError(
        'DUPLICATE_LIST_FILTER',
        `ListObjects filter tag 0x0${tag} appears twice; send each filter once.`, INVALID_DATA,
      );
    }
    seen.add(tag);
    switch (tag) {
      case ListFilterTag.ID: f.id = r.u16('id filter'); break;
      case ListFilterTag.TYPE: f.type = r.u8('type filter'); break;
      case ListFilterTag.DOMAINS: f.domains = r.u16('domains filter'); break;
      case ListFilterTag.CAPABILITIES: f.capabilities = r.u64('capabilities filter'); break;
      case ListFilterTag.ALGORITHM: f.algorithm = r.u8('algorithm filter'); break;
      case ListFilterTag.LABEL: f.label = own(r.bytesN(LABEL_LENGTH, 'label filter')); break;
      default:
        throw new ProtocolError(
          'UNKNOWN_LIST_FILTER',
          `ListObjects filter tag 0x${tag.toString(16).padStart(2, '0')} is unknown; use tags 0x01-0x06 (id, type, domains, capabilities, algorithm, label).`,
          INVALID_DATA,
        );
    }
  }
  return f;
}
