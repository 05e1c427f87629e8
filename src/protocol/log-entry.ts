/**
 * Audit log entries (PROTOCOL.md 5.7; https://developers.yubico.com/YubiHSM2/Commands/Get_Log_Entries.html).
 * 32 bytes: number(2) ‖ command(1) ‖ length(2) ‖ session key(2) ‖ target key(2) ‖ second key(2) ‖ result(1) ‖
 * systick(4) ‖ digest(16). The digest chain (SHA-256 over the first 16 bytes and the previous digest) is
 * computed in src/crypto; this file only moves bytes.
 */
import { Reader, Writer } from './bytes.js';
import { own } from './commands/shared.js';

export const LOG_ENTRY_LENGTH = 32;
export const LOG_DIGEST_LENGTH = 16;

export interface LogEntry {
  /** Entry number, wraps at 65536. */
  number: number;
  /** Command code (0x00 for boot markers, 0xFF for the reset marker). */
  command: number;
  /** Command payload length. */
  length: number;
  /** Auth key id of the session, 0xFFFF when none. */
  sessionKey: number;
  targetKey: number;
  /** 0xFFFF when unused. */
  secondKey: number;
  /** Response code on success (e.g. 0x83), device error code otherwise. */
  result: number;
  /** Device systick. */
  tick: number;
  digest: Uint8Array;
}

/** The first 16 bytes of an entry: what the digest chain hashes. */
export function logEntryData(e: LogEntry): Uint8Array {
  return new Writer(16)
    .u16(e.number).u8(e.command).u16(e.length).u16(e.sessionKey).u16(e.targetKey).u16(e.secondKey)
    .u8(e.result).u32(e.tick)
    .finish();
}

export function encodeLogEntry(e: LogEntry): Uint8Array {
  return new Writer(LOG_ENTRY_LENGTH).bytes(logEntryData(e)).bytes(e.digest).finish();
}

/** Reads one entry from a reader (exactly 32 bytes). */
export function readLogEntry(r: Reader): LogEntry {
  return {
    number: r.u16('entry number'),
    command: r.u8('command'),
    length: r.u16('length'),
    sessionKey: r.u16('session key'),
    targetKey: r.u16('target key'),
    secondKey: r.u16('second key'),
    result: r.u8('result'),
    tick: r.u32('systick'),
    digest: own(r.bytesN(LOG_DIGEST_LENGTH, 'digest')),
  };
}

export function decodeLogEntry(bytes: Uint8Array): LogEntry {
  const r = new Reader(bytes, 'log entry');
  const e = readLogEntry(r);
  r.end();
  return e;
}
