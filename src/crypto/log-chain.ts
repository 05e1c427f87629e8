/**
 * Audit-log digest chain (PROTOCOL.md 5.7; https://developers.yubico.com/YubiHSM2/Concepts/Logs.html):
 * a log entry is 32 bytes, `data(16) ‖ digest(16)`, with digest_i = SHA-256(data_i ‖ digest_{i-1})[0:16] and the
 * entry number (u16 BE at offset 0) counting up by one, wrapping at 65536. The device seeds the chain with random
 * bytes after a reset, so a reader can only verify entries against an entry it already trusts.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { LOG_DIGEST_LENGTH, LOG_ENTRY_LENGTH } from '../protocol/log-entry.js';


function check(bytes: Uint8Array, n: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
    throw new UsageError('BAD_LOG_ENTRY', `${what} must be ${n} bytes, got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}.`);
  }
}

/** SHA-256(entryData(16) ‖ previousDigest(16))[0:16]. */
export function logEntryDigest(entryData: Uint8Array, previousDigest: Uint8Array): Uint8Array {
  check(entryData, 16, 'Log entry data');
  check(previousDigest, LOG_DIGEST_LENGTH, 'The previous digest');
  return new Uint8Array(createHash('sha256').update(entryData).update(previousDigest).digest().subarray(0, 16));
}

/** A whole 32-byte entry: `entryData ‖ digest`, chained to `previousDigest` (what the device writes). */
export function sealLogEntry(entryData: Uint8Array, previousDigest: Uint8Array): Uint8Array {
  const out = new Uint8Array(LOG_ENTRY_LENGTH);
  out.set(entryData);
  out.set(logEntryDigest(entryData, previousDigest), 16);
  return out;
}

export type LogChainResult =
  | { ok: true; verified: number }
  | { ok: false; index: number; code: 'LOG_DIGEST_MISMATCH' | 'LOG_NUMBER_GAP' | 'BAD_LOG_ENTRY'; message: string };

/**
 * Verifies `entries` (32 bytes each, oldest first) against `trusted`, the last entry already verified (or the first
 * entry of `entries` itself when omitted: it then anchors the chain and only the following ones are checked).
 * `verified` counts the entries whose digest was checked. The first failure is reported with its index.
 */
export function verifyLogChain(entries: readonly Uint8Array[], trusted?: Uint8Array): LogChainResult {
  let prev = trusted;
  let start = 0;
  if (prev === undefined) {
    if (entries.length === 0) return { ok: true, verified: 0 };
    prev = entries[0];
    start = 1;
  }
  const bad = (index: number, what: string): LogChainResult => ({
    ok: false, index, code: 'BAD_LOG_ENTRY', message: `${what} is not ${LOG_ENTRY_LENGTH} bytes; read the log again.`,
  });
  if (prev.length !== LOG_ENTRY_LENGTH) return bad(-1, 'The trusted log entry');
  for (let i = start; i < entries.length; i++) {
    const e = entries[i];
    if (!(e instanceof Uint8Array) || e.length !== LOG_ENTRY_LENGTH) return bad(i, `Log entry ${i}`);
    const number = (e[0] << 8) | e[1];
    const expectedNumber = (((prev[0] << 8) | prev[1]) + 1) & 0xffff;
    if (number !== expectedNumber) {
      return {
        ok: false, index: i, code: 'LOG_NUMBER_GAP',
        message: `Log entry ${i} has number ${number} but ${expectedNumber} was expected; entries are missing, so the chain cannot be verified from here.`,
      };
    }
    const digest = logEntryDigest(e.subarray(0, 16), prev.subarray(16, 32));
    if (!Buffer.from(digest).equals(Buffer.from(e.buffer, e.byteOffset + 16, 16))) {
      return {
        ok: false, index: i, code: 'LOG_DIGEST_MISMATCH',
        message: `Log entry ${number} does not chain to the entry before it; the audit log was altered or read from another device.`,
      };
    }
    prev = e;
  }
  return { ok: true, verified: entries.length - start };
}
