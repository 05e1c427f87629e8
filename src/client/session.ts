/**
 * HsmSession: an authenticated session and the device-wide commands run inside it (PROTOCOL.md 5.1, 5.2, 5.7).
 * Object-specific commands live on the object classes (src/client/objects/), which take a session.
 *
 *   const s = await hsm.openSession({ authKeyId: 1, password: 'password', reopen: 'idempotent', onEvent: log });
 *   const listed = await s.listObjects({ type: ObjectType.ASYMMETRIC_KEY });
 *   const log = await s.getAuditLog();          // hash chain verified
 *   await s.close();
 */
import { verifyLogChain } from '../crypto/log-chain.js';
import { ProtocolError, UsageError } from '../errors.js';
import { Command } from '../protocol/command-codes.js';
import { blinkDevice } from '../protocol/commands/blink-device.js';
import { deleteObject } from '../protocol/commands/delete-object.js';
import { echo } from '../protocol/commands/echo.js';
import { getDeviceInfo, type DeviceInfo } from '../protocol/commands/get-device-info.js';
import { getLogEntries, type LogEntries } from '../protocol/commands/get-log-entries.js';
import { getObjectInfo, type ObjectInfo } from '../protocol/commands/get-object-info.js';
import { getOpaque } from '../protocol/commands/get-opaque.js';
import { getOption } from '../protocol/commands/get-option.js';
import { getPseudoRandom } from '../protocol/commands/get-pseudo-random.js';
import { getStorageInfo, type StorageInfo } from '../protocol/commands/get-storage-info.js';
import { listObjects, type ListedObject } from '../protocol/commands/list-objects.js';
import { decodeOptionValue, type DeviceOptionTag, type OptionSetting } from '../protocol/commands/option-values.js';
import { resetDevice } from '../protocol/commands/reset-device.js';
import { setLogIndex } from '../protocol/commands/set-log-index.js';
import { setOption } from '../protocol/commands/set-option.js';
import { encodeLogEntry, type LogEntry } from '../protocol/log-entry.js';
import type { ListFilter } from '../protocol/list-filter.js';
import { maxInnerLength } from '../session/index.js';
import { HsmSessionLostError } from './errors.js';
import { objectFor, type AnyObject } from './objects/factory.js';
import { SessionCore, type SessionOptions } from './session-core.js';
import type { YubiHsm } from './yubihsm.js';

export type { SessionEvent, SessionOptions, SessionCredentials } from './session-core.js';
export { deriveAuthenticationKeys, SESSION_IDLE_LIMIT_MS } from './session-core.js';

/** GetLogEntries with the digest chain checked (PROTOCOL.md 5.7). */
export interface AuditLog extends LogEntries {
  /** Entries whose digest was checked against the one before (the first is the anchor unless `trusted` was given). */
  verified: number;
}

export class HsmSession extends SessionCore {
  /** Use `YubiHsm.openSession`. */
  static async open(hsm: YubiHsm, options: SessionOptions): Promise<HsmSession> {
    const { id, channel, credential } = await SessionCore.establish(hsm, options);
    return new HsmSession(hsm, id, channel, credential, options);
  }

  /** Echo inside the session. */
  echo(data: Uint8Array): Promise<Uint8Array> {
    return this.call(echo, data);
  }

  /** GetDeviceInfo page 0, inside the session. */
  async getDeviceInfo(): Promise<DeviceInfo> {
    const info = await this.call(getDeviceInfo, { page: 0 });
    if (info.page !== 0) throw new ProtocolError('HSM_UNEXPECTED_RESPONSE', 'GetDeviceInfo answered with page 1 data; check the device firmware.');
    return info;
  }

  /** Objects this session can see (sharing a domain with its auth key), optionally filtered. */
  listObjects(filter: ListFilter = {}): Promise<ListedObject[]> {
    return this.call(listObjects, filter);
  }

  /** ListObjects, each result as its object class (AsymmetricKey, WrapKey, ...). */
  async objects(filter: ListFilter = {}): Promise<AnyObject[]> {
    return (await this.listObjects(filter)).map((o) => objectFor(this, o.type, o.id));
  }

  getObjectInfo(type: number, id: number): Promise<ObjectInfo> {
    return this.call(getObjectInfo, { type, id });
  }

  /** DeleteObject; needs the session capability delete-<type>. */
  deleteObject(type: number, id: number): Promise<void> {
    return this.call(deleteObject, { type, id });
  }

  getStorageInfo(): Promise<StorageInfo> {
    return this.call(getStorageInfo, undefined);
  }

  /** `count` bytes from the device's DRBG, fetched in frame-sized pieces. Capability get-pseudo-random. */
  async getPseudoRandom(count: number): Promise<Uint8Array> {
    if (!Number.isInteger(count) || count < 0 || count > 1 << 20) {
      throw new UsageError('HSM_BAD_ARGUMENT', `Ask for 0 to 1048576 random bytes, not ${count}.`);
    }
    const chunk = maxInnerLength(this.hsm.maxFrame) - 3;
    const out = new Uint8Array(count);
    for (let off = 0; off < count; off += chunk) {
      const part = await this.call(getPseudoRandom, Math.min(chunk, count - off));
      out.set(part, off);
    }
    return out;
  }

  /** The device attestation certificate (DER): GetOpaque of id 0, which signs key attestations with attesting key 0. */
  getDeviceAttestationCertificate(): Promise<Uint8Array> {
    return this.call(getOpaque, 0);
  }

  /** Blinks the device LED for `seconds` (0-255). */
  blinkDevice(seconds: number): Promise<void> {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 255) {
      throw new UsageError('HSM_BAD_ARGUMENT', `Blink for 0 to 255 seconds, not ${seconds}.`);
    }
    return this.call(blinkDevice, seconds);
  }

  /** The raw audit log (capability get-log-entries). See getAuditLog for the verified form. */
  getLogEntries(): Promise<LogEntries> {
    return this.call(getLogEntries, undefined);
  }

  /**
   * The audit log with its hash chain verified: each entry's digest must equal SHA-256(entry[0:16] ‖ previous
   * digest)[0:16] and numbers must be consecutive. Pass the last entry verified earlier as `trusted` to check the
   * whole read; without it the first entry returned anchors the chain. A break throws ProtocolError
   * HSM_LOG_DIGEST_MISMATCH / HSM_LOG_NUMBER_GAP.
   */
  async getAuditLog(trusted?: LogEntry): Promise<AuditLog> {
    const log = await this.getLogEntries();
    const bytes = log.entries.map(encodeLogEntry);
    const anchor = trusted ? encodeLogEntry(trusted) : undefined;
    // Entries the device already let go of (numbers at or before the trusted one) are skipped.
    const fresh = anchor ? bytes.filter((_, i) => isAfter(log.entries[i].number, trusted!.number)) : bytes;
    const result = verifyLogChain(fresh, anchor);
    if (!result.ok) throw new ProtocolError(`HSM_${result.code}`, result.message);
    return { ...log, verified: result.verified };
  }

  /** Lets the device overwrite log entries up to and including `index` (force-audit). Capability get-log-entries. */
  setLogIndex(index: number): Promise<void> {
    return this.call(setLogIndex, index);
  }

  /** Reads one device option, typed (force-audit, command-audit, algorithm-toggle, fips-mode). */
  async getOption(option: DeviceOptionTag): Promise<OptionSetting> {
    return decodeOptionValue(option, await this.call(getOption, option));
  }

  /** Sets one device option. Refuses to audit SessionMessage (0x05), which libyubihsm refuses too. */
  setOption(setting: OptionSetting): Promise<void> {
    if (setting.option === 0x03 && setting.commands.some((c) => c.command === Command.SESSION_MESSAGE && c.mode !== 0)) {
      return Promise.reject(new UsageError('HSM_BAD_ARGUMENT', 'Command audit must not be switched on for SessionMessage (0x05): older firmware can deadlock; leave it off.'));
    }
    return this.call(setOption, setting);
  }

  /**
   * Factory reset (capability reset-device): the device wipes every object, restores the default auth key and
   * reboots. Its answer may be lost; either way this session and every other one are over. Reconnect after ~5 s.
   */
  async resetDevice(): Promise<void> {
    try {
      await this.call(resetDevice, undefined);
    } catch (e) {
      if (!(e instanceof HsmSessionLostError && (e.reason === 'transport' || e.reason === 'bad-response'))) throw e;
    }
    this.endLocally();
  }
}

/** True when log entry number `n` comes after `ref` (u16, wrapping). */
function isAfter(n: number, ref: number): boolean {
  const d = (n - ref) & 0xffff;
  return d !== 0 && d < 0x8000;
}
