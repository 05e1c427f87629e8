/**
 * The audit log (PROTOCOL.md 5.7; https://developers.yubico.com/YubiHSM2/Concepts/Logs.html): 62 entries of
 * 32 bytes, each digest = SHA-256(entry[0:16] ‖ previous digest)[0:16], the chain seeded with random bytes after
 * a reset. A reset writes entry 1 with every field 0xFF; every boot writes an entry with command 0, session key
 * 0xFFFF and the other fields 0 (the shape python-yubihsm's device test test_logs_after_reset expects).
 *
 * What gets logged: a command whose command-audit setting is on, or every command while force-audit is on.
 * Without force-audit the store is circular (the oldest entry is overwritten). With force-audit a full store makes
 * loggable commands fail with LOG_FULL, except the ones that must stay possible to empty the log (session
 * set-up, which is only counted as an unlogged authentication, log reading and SetLogIndex, device info, echo,
 * close session). SetLogIndex(n) frees the entries up to and including number n.
 */
import { sealLogEntry } from '../crypto/log-chain.js';
import { Command } from '../protocol/command-codes.js';
import { decodeLogEntry, LOG_DIGEST_LENGTH, LOG_ENTRY_LENGTH, logEntryData, type LogEntry } from '../protocol/log-entry.js';
import { E, fail } from './fail.js';
import { Audit, LOG_CAPACITY, type DeviceContents, type LogState } from './state.js';

export const NO_KEY = 0xffff;

/** An entry before the device numbers and chains it. */
export type LogFields = Omit<LogEntry, 'number' | 'digest'>;

/** Commands that run even when force-audit is on and the store is full (they are then simply not logged). */
const ALWAYS_ALLOWED = new Set<number>([
  Command.ECHO,
  Command.CREATE_SESSION,
  Command.AUTHENTICATE_SESSION,
  Command.SESSION_MESSAGE,
  Command.GET_DEVICE_INFO,
  Command.GET_DEVICE_PUBKEY,
  Command.CLOSE_SESSION,
  Command.GET_LOG_ENTRIES,
  Command.SET_LOG_INDEX,
]);

function append(log: LogState, fields: LogFields): void {
  const number = (log.lastNumber + 1) & 0xffff;
  const data = logEntryData({ number, ...fields, digest: new Uint8Array(LOG_DIGEST_LENGTH) });
  const entry = sealLogEntry(data, log.lastDigest);
  log.entries.push(entry);
  while (log.entries.length > LOG_CAPACITY) log.entries.shift();
  log.lastNumber = number;
  log.lastDigest = entry.slice(LOG_ENTRY_LENGTH - LOG_DIGEST_LENGTH);
}

export function isLogFull(log: LogState): boolean {
  return log.entries.length >= LOG_CAPACITY;
}

/** True when `command` is to be logged under the current options. SessionMessage itself never is. */
export function isAudited(contents: DeviceContents, command: number): boolean {
  if (command === Command.SESSION_MESSAGE) return false;
  if (contents.options.forceAudit !== Audit.OFF) return true;
  return (contents.options.commandAudit.get(command) ?? Audit.OFF) !== Audit.OFF;
}

/**
 * Before running `command`: with force-audit on and a full store, a command that would be logged and is not one
 * of the always-allowed ones fails with LOG_FULL.
 */
export function checkLogSpace(contents: DeviceContents, command: number): void {
  if (contents.options.forceAudit === Audit.OFF || !isLogFull(contents.log)) return;
  if (!isAudited(contents, command) || ALWAYS_ALLOWED.has(command)) return;
  fail(E.LOG_FULL, 'The audit log is full and force-audit is on; read the log and call SetLogIndex.');
}

/** After running `command`: writes its entry if it is audited (or counts it as unlogged when there is no room). */
export function logCommand(contents: DeviceContents, fields: LogFields): void {
  if (!isAudited(contents, fields.command)) return;
  const log = contents.log;
  if (contents.options.forceAudit !== Audit.OFF && isLogFull(log)) {
    if (fields.command === Command.CREATE_SESSION || fields.command === Command.AUTHENTICATE_SESSION) {
      log.unloggedAuthentications = Math.min(0xffff, log.unloggedAuthentications + 1);
    }
    return;
  }
  append(log, fields);
}

/** The reset marker: entry 1, every field 0xFF, chained to a fresh random seed. */
export function writeResetMarker(log: LogState, seed: Uint8Array): void {
  log.entries = [];
  log.lastNumber = 0;
  log.lastDigest = seed.slice(0, LOG_DIGEST_LENGTH);
  log.unloggedBoots = 0;
  log.unloggedAuthentications = 0;
  append(log, { command: 0xff, length: 0xffff, sessionKey: 0xffff, targetKey: 0xffff, secondKey: 0xffff, result: 0xff, tick: 0xffffffff });
}

/** The boot marker, written every time the device starts. */
export function writeBootMarker(contents: DeviceContents): void {
  const log = contents.log;
  if (contents.options.forceAudit !== Audit.OFF && isLogFull(log)) {
    log.unloggedBoots = Math.min(0xffff, log.unloggedBoots + 1);
    return;
  }
  append(log, { command: 0, length: 0, sessionKey: NO_KEY, targetKey: 0, secondKey: 0, result: 0, tick: 0 });
}

export function logEntries(log: LogState): LogEntry[] {
  return log.entries.map((e) => decodeLogEntry(e));
}

/** SetLogIndex: frees the stored entries up to and including number `index`. */
export function setLogIndex(log: LogState, index: number): void {
  if (log.entries.length === 0) {
    if (index !== log.lastNumber) fail(E.INVALID_DATA, `Log index ${index} is not the number of a stored entry.`);
    return;
  }
  const first = (log.entries[0][0] << 8) | log.entries[0][1];
  const offset = (index - first + 0x10000) & 0xffff;
  const beforeFirst = (first - 1) & 0xffff;
  if (index === beforeFirst) return;
  if (offset >= log.entries.length) fail(E.INVALID_DATA, `Log index ${index} is not the number of a stored entry.`);
  log.entries.splice(0, offset + 1);
}
