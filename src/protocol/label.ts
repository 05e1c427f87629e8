/** Object labels: 40 raw bytes, 0x00-padded (PROTOCOL.md 4.1). */
import { UsageError } from '../errors.js';

export const LABEL_LENGTH = 40;

export function encodeLabel(label: string | Uint8Array): Uint8Array {
  const raw = typeof label === 'string' ? new TextEncoder().encode(label) : label;
  if (raw.length > LABEL_LENGTH) {
    throw new UsageError('LABEL_TOO_LONG', `Label is ${raw.length} bytes; a YubiHSM label holds at most 40 bytes. Shorten it.`);
  }
  const out = new Uint8Array(LABEL_LENGTH);
  out.set(raw);
  return out;
}

/** Decodes a 40-byte label: strips trailing 0x00 bytes, UTF-8 (invalid sequences replaced). */
export function decodeLabel(raw: Uint8Array): string {
  let end = raw.length;
  while (end > 0 && raw[end - 1] === 0) end--;
  return new TextDecoder('utf-8', { fatal: false }).decode(raw.subarray(0, end));
}
