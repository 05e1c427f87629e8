/**
 * A connected YubiHSM 2: the entry point of the client library.
 *
 *   const hsm = await YubiHsm.connect({ connector: 'http://127.0.0.1:12345' });   // or { usb: true } / { transport }
 *   const session = await hsm.openSession({ authKeyId: 1, password: 'password' });
 *
 * Connecting follows PROTOCOL.md 8 client rule 1: check the connector status (or open USB), then a plain
 * GetDeviceInfo to learn the firmware and so the largest frame the client may send (3135 bytes from 2.4.0, 2047
 * before; PROTOCOL.md 1.2). Each transport carries one frame at a time (rule 5); with `connections: n` over a
 * yubihsm-connector, n sessions can each have a frame in flight and the connector serialises them for the device.
 */
import { ProtocolError, UsageError } from '../errors.js';
import { Command, responseCode } from '../protocol/command-codes.js';
import type { CommandDef } from '../protocol/command.js';
import { echo } from '../protocol/commands/echo.js';
import { decodeDeviceInfoPage0, decodeDeviceInfoPage1, type DeviceInfo } from '../protocol/commands/get-device-info.js';
import { getDevicePublicKey, type DevicePublicKey } from '../protocol/commands/get-device-public-key.js';
import { CLIENT_MAX_FRAME_FW24, CLIENT_MAX_FRAME_LEGACY, decodeFrame, encodeFrame, errorCodeOf } from '../protocol/frame.js';
import type { Transport } from '../transport/transport.js';
import { commandLabel, HsmDeviceError } from './errors.js';
import { openTransports, type TransportChoice } from './transports.js';
import { HsmSession, type SessionOptions } from './session.js';

export type ConnectOptions = TransportChoice;

export interface FirmwareVersion {
  major: number;
  minor: number;
  patch: number;
}

export class YubiHsm {
  /** Device information from the plain GetDeviceInfo done on connect. */
  readonly deviceInfo: DeviceInfo;
  /** Part number (GetDeviceInfo page 1), firmware 2.4 and later. */
  readonly partNumber: string | undefined;
  /** Largest whole frame this client sends: 3135 (firmware >= 2.4.0) or 2047. */
  readonly maxFrame: number;
  /** The transports to the device (one unless `connections` asked for more); the first is `transport`. */
  readonly transports: readonly Transport[];
  private readonly inFlight: number[];
  private readonly sessions = new Set<HsmSession>();
  private closed = false;

  private constructor(transports: Transport[], info: DeviceInfo, partNumber: string | undefined) {
    this.transports = transports;
    this.inFlight = transports.map(() => 0);
    this.deviceInfo = info;
    this.partNumber = partNumber;
    this.maxFrame = atLeast(info.version, 2, 4, 0) ? CLIENT_MAX_FRAME_FW24 : CLIENT_MAX_FRAME_LEGACY;
  }

  /**
   * Connects through a yubihsm-connector (`{ connector: url }`, default http://127.0.0.1:12345), directly over
   * USB (`{ usb: true }` or `{ usb: serial }`) or through any Transport (`{ transport }`), then reads the device info.
   */
  static async connect(options: ConnectOptions = {}): Promise<YubiHsm> {
    const transports = await openTransports(options);
    const transport = transports[0];
    try {
      const page0 = await plainExchange(transport, Command.GET_DEVICE_INFO, new Uint8Array(0), CLIENT_MAX_FRAME_LEGACY);
      const info = decodeDeviceInfoPage0(page0);
      let partNumber: string | undefined;
      if (atLeast(info.version, 2, 4, 0)) {
        const page1 = await plainExchange(transport, Command.GET_DEVICE_INFO, Uint8Array.of(1), CLIENT_MAX_FRAME_LEGACY);
        partNumber = decodeDeviceInfoPage1(page1).partNumber;
      }
      return new YubiHsm(transports, info, partNumber);
    } catch (err) {
      await Promise.allSettled(transports.map((t) => t.close()));
      throw err;
    }
  }

  /** The first (usually only) transport. */
  get transport(): Transport {
    return this.transports[0];
  }

  get firmware(): FirmwareVersion {
    return { ...this.deviceInfo.version };
  }

  get serial(): number {
    return this.deviceInfo.serial;
  }

  /** True when the firmware is at least major.minor.patch. */
  supports(major: number, minor: number, patch = 0): boolean {
    return atLeast(this.deviceInfo.version, major, minor, patch);
  }

  /** Sends one whole frame (plain or SessionMessage) and returns the device's frame. Checks the size limit. */
  async sendFrame(frame: Uint8Array): Promise<Uint8Array> {
    if (this.closed) throw new UsageError('HSM_CLOSED', 'This YubiHsm connection is closed; connect again.');
    if (frame.length > this.maxFrame) {
      throw new UsageError(
        'HSM_FRAME_TOO_LARGE',
        `The ${frame.length}-byte frame exceeds the device limit of ${this.maxFrame} bytes (firmware ` +
          `${formatVersion(this.deviceInfo.version)}); send less data per command (split it into chunks).`,
      );
    }
    let pick = 0;
    for (let i = 1; i < this.inFlight.length; i++) if (this.inFlight[i] < this.inFlight[pick]) pick = i;
    this.inFlight[pick]++;
    try {
      return await this.transports[pick].send(frame);
    } finally {
      this.inFlight[pick]--;
    }
  }

  /** A plain (session-less) command, encoded and decoded with its definition. */
  async sendPlain<Q, R>(def: CommandDef<Q, R>, request: Q): Promise<R> {
    const payload = def.encodeRequest(request);
    const frame = encodeFrame(def.code, payload);
    const response = await this.sendFrame(frame);
    return def.decodeResponse(checkResponse(def.code, response));
  }

  /** Plain Echo: the device returns `data` (1 to ~3000 bytes). */
  echo(data: Uint8Array): Promise<Uint8Array> {
    return this.sendPlain(echo, data);
  }

  /** Reads GetDeviceInfo page 0 again (the log counters change). */
  async getDeviceInfo(): Promise<DeviceInfo> {
    const response = await this.sendFrame(encodeFrame(Command.GET_DEVICE_INFO, new Uint8Array(0)));
    return decodeDeviceInfoPage0(checkResponse(Command.GET_DEVICE_INFO, response));
  }

  /** The device's static P-256 key for asymmetric authentication (firmware 2.3+). */
  getDevicePublicKey(): Promise<DevicePublicKey> {
    return this.sendPlain(getDevicePublicKey, undefined);
  }

  /** Opens an authenticated session (password, pre-derived keys, or an asymmetric P-256 key). */
  async openSession(options: SessionOptions): Promise<HsmSession> {
    const session = await HsmSession.open(this, options);
    this.sessions.add(session);
    session.once('closed', () => this.sessions.delete(session));
    return session;
  }

  /** Closes every open session (best effort), then the transport. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.allSettled([...this.sessions].map((s) => s.close()));
    this.closed = true;
    await Promise.allSettled(this.transports.map((t) => t.close()));
  }
}

function atLeast(v: FirmwareVersion, major: number, minor: number, patch: number): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

export function formatVersion(v: FirmwareVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** Checks a plain response frame to `command`: device error frame -> HsmDeviceError; returns the payload. */
export function checkResponse(command: number, response: Uint8Array): Uint8Array {
  const frame = decodeFrame(response);
  const code = errorCodeOf(frame);
  if (code !== undefined) throw new HsmDeviceError(command, code);
  if (frame.code !== responseCode(command)) {
    throw new ProtocolError(
      'HSM_UNEXPECTED_RESPONSE',
      `The device answered ${commandLabel(command)} with response code 0x${frame.code.toString(16).padStart(2, '0')}, ` +
        `expected 0x${responseCode(command).toString(16)}; check that the connector talks to a YubiHSM 2.`,
    );
  }
  return frame.payload;
}

async function plainExchange(transport: Transport, command: number, payload: Uint8Array, max: number): Promise<Uint8Array> {
  const frame = encodeFrame(command, payload);
  if (frame.length > max) throw new UsageError('HSM_FRAME_TOO_LARGE', `Frame of ${frame.length} bytes exceeds ${max}.`);
  return checkResponse(command, await transport.send(frame));
}
