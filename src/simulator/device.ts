/**
 * The software YubiHSM 2: a firmware-2.4 device behind one frame handler, `handle(frame) -> frame`, which the
 * in-process transport and the connector-compatible HTTP server take. A simulator for rehearsal and tests, not an
 * HSM: keys live in this process's memory (and, if configured, in a state file).
 *
 * Frame processing (PROTOCOL.md 1, 3.5, 8 "Simulator"): one frame at a time device-wide; frames shorter than 3
 * bytes, longer than 3136 bytes or whose length field disagrees are WRONG_LENGTH; CreateSession and
 * AuthenticateSession run the session layer's device role; SessionMessage looks the session up (INVALID_SESSION),
 * verifies and decrypts (AUTHENTICATION_FAILED, session dropped), executes the inner command and answers
 * encrypted (an inner failure is an encrypted `7F 00 01 xx`). Session-level failures are plain unMACed error
 * frames. Unknown commands, and session-only commands sent plain or plain-only ones sent in a session, are
 * INVALID_COMMAND [I]. No exception ever leaves `handle`: anything unexpected becomes INVALID_DATA and is
 * reported to `onInternalError`.
 */
import { generateP256KeyPair } from '../crypto/asym-auth.js';
import { randomBytes as systemRandom, wipe } from '../crypto/random.js';
import { Algorithm } from '../protocol/algorithms.js';
import { Command, responseCode } from '../protocol/command-codes.js';
import { createSession, type CreateSessionRequest } from '../protocol/commands/create-session.js';
import { DeviceErrorCode } from '../protocol/device-errors.js';
import { decodeFrame, encodeFrame, errorFrame, MAX_FRAME_FW24, type Frame } from '../protocol/frame.js';
import { ObjectType } from '../protocol/object-types.js';
import { maxInnerLength, SecureChannel } from '../session/index.js';
import type { SessionAuth } from './access.js';
import { createDeviceAttestation } from './attestation.js';
import { checkLogSpace, logCommand, NO_KEY, writeBootMarker, writeResetMarker } from './audit-log.js';
import { E } from './fail.js';
import type { DeviceServices, HandlerContext } from './handler.js';
import { handlers } from './handlers/index.js';
import { MAX_SESSIONS, SESSION_TIMEOUT_MS, SessionTable, type SimSession } from './sessions.js';
import {
  Audit, factoryContents, objectKey, wipeContents, type DeviceAttestation, type DeviceIdentity, type DeviceState,
} from './state.js';

export const FIRMWARE = { major: 2, minor: 4, patch: 0 } as const;
export const DEFAULT_PART_NUMBER = 'SIMULATED-PN';

export interface SoftwareYubiHsmOptions {
  /** Device serial (u32) for a new device; default: random 8 digits. Ignored when `state` is given. */
  serial?: number;
  /** GetDeviceInfo page 1; default `SIMULATED-PN`. */
  partNumber?: string;
  /** A state restored from a state file (persistence.ts); default: a factory-fresh device. */
  state?: DeviceState;
  /** Clock in milliseconds (session timeout, log systick); default Date.now. Inject in tests. */
  now?: () => number;
  /** Device RNG (challenges, log seed, GetPseudoRandom, nonces); default the OS CSPRNG. Key generation uses OpenSSL. */
  random?: (n: number) => Uint8Array;
  /** Initial command-audit setting of every command after a reset: 0 (default, as firmware 2.4 ships) or 1. */
  commandAuditDefault?: 0 | 1;
  /** Session idle timeout; default 30 000 ms (PROTOCOL.md 3.5). */
  sessionTimeoutMs?: number;
  /** Called (and awaited, inside the device's queue) after a frame that changed the persistent state. */
  onStateChange?: (state: DeviceState) => void | Promise<void>;
  /** Called when something unexpected was turned into an error frame (a simulator bug) or persisting failed. */
  onInternalError?: (error: unknown, where: string) => void;
  /** Creates the attestation key and its certificate; default: EC P-256 from the test CA of attestation.ts, on first use. */
  createAttestation?: (identity: DeviceIdentity) => DeviceAttestation;
}

interface Exec {
  auth: SessionAuth | undefined;
  session: SimSession | undefined;
}

function deviceCodeOf(e: unknown): number | undefined {
  const c = (e as { deviceCode?: unknown } | null)?.deviceCode;
  return typeof c === 'number' && c >= 0 && c <= 0xff ? c : undefined;
}

/** Largest inner response that fits a 3136-byte SessionMessage answer. */
const MAX_INNER_RESPONSE = maxInnerLength(MAX_FRAME_FW24);

export class SoftwareYubiHsm {
  private readonly now: () => number;
  private readonly rng: (n: number) => Uint8Array;
  private readonly sessions: SessionTable;
  private readonly commandAuditDefault: number;
  private readonly options: SoftwareYubiHsmOptions;
  private readonly _state: DeviceState;
  private queue: Promise<unknown> = Promise.resolve();
  private bootTime: number;
  private dirty = false;
  private after: (() => void)[] = [];
  /** Errors that were not device refusals (should stay 0; the fuzz test checks it). */
  internalErrors = 0;

  constructor(options: SoftwareYubiHsmOptions = {}) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.rng = options.random ?? systemRandom;
    this.commandAuditDefault = options.commandAuditDefault ?? Audit.OFF;
    this.sessions = new SessionTable(this.now, options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS);
    this.bootTime = this.now();
    if (options.state) {
      this._state = options.state;
    } else {
      const pair = generateP256KeyPair();
      const serial = options.serial ?? 10_000_000 + (new DataView(this.rng(4).buffer).getUint32(0) % 90_000_000);
      const identity: DeviceIdentity = { serial, authPrivateKey: pair.privateKey, authPublicKey: pair.publicKey };
      const seed = this.rng(16);
      const contents = factoryContents(seed, this.commandAuditDefault);
      writeResetMarker(contents.log, seed);
      this._state = { identity, contents };
    }
    writeBootMarker(this._state.contents);
    this.dirty = true;
  }

  /** The device state (for persistence and tests). Do not mutate. */
  get state(): DeviceState {
    return this._state;
  }

  get serial(): number {
    return this._state.identity.serial;
  }

  /** Open (or half-open) sessions right now. */
  get sessionCount(): number {
    this.sessions.expire();
    return this.sessions.count;
  }

  /**
   * Answers one command frame with one response frame. Frames are processed one at a time in arrival order.
   * Never rejects.
   */
  handle(frame: Uint8Array): Promise<Uint8Array> {
    const run = this.queue.then(() => this.process(frame));
    this.queue = run.catch(() => undefined);
    return run.catch((e: unknown) => {
      this.internal(e, 'handle');
      return errorFrame(E.INVALID_DATA);
    });
  }

  /** Waits for the frames in flight and persists the state if it changed. */
  async flush(): Promise<void> {
    await this.queue;
    await this.persist();
  }

  // ---- frame processing ----

  private async process(frame: Uint8Array): Promise<Uint8Array> {
    let answer: Uint8Array;
    try {
      answer = await this.dispatch(frame);
    } catch (e) {
      this.internal(e, 'dispatch');
      answer = errorFrame(E.INVALID_DATA);
    }
    const actions = this.after;
    this.after = [];
    for (const a of actions) {
      try {
        a();
      } catch (e) {
        this.internal(e, 'after response');
      }
    }
    await this.persist();
    return answer;
  }

  private async dispatch(bytes: Uint8Array): Promise<Uint8Array> {
    if (!(bytes instanceof Uint8Array) || bytes.length < 3 || bytes.length > MAX_FRAME_FW24) return errorFrame(E.WRONG_LENGTH);
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch {
      return errorFrame(E.WRONG_LENGTH);
    }
    switch (frame.code) {
      case Command.CREATE_SESSION:
        return this.createSession(frame);
      case Command.AUTHENTICATE_SESSION:
        return this.authenticateSession(bytes);
      case Command.SESSION_MESSAGE:
        return this.sessionMessage(bytes);
      default: {
        const inner = await this.execute(frame.code, frame.payload, { auth: undefined, session: undefined });
        return inner.length > MAX_FRAME_FW24 ? errorFrame(E.INVALID_DATA) : inner;
      }
    }
  }

  /** CreateSession 0x03 (PROTOCOL.md 3.3 / 3.6). */
  private createSession(frame: Frame): Uint8Array {
    let result: number = E.INVALID_DATA;
    let target = NO_KEY;
    try {
      const req: CreateSessionRequest = createSession.decodeRequest(frame.payload);
      target = req.authKeyId;
      const key = this._state.contents.objects.get(objectKey(ObjectType.AUTHENTICATION_KEY, req.authKeyId));
      if (!key) {
        result = E.OBJECT_NOT_FOUND;
        return errorFrame(result);
      }
      const symmetricKey = key.algorithm === Algorithm.AES128_YUBICO_AUTHENTICATION;
      if (symmetricKey !== (req.kind === 'symmetric')) {
        result = E.INVALID_DATA;
        return errorFrame(result);
      }
      const slot = this.sessions.freeSlot();
      if (slot === undefined) {
        result = E.SESSIONS_FULL;
        return errorFrame(result);
      }
      let channel: SecureChannel;
      if (req.kind === 'symmetric') {
        const keys = { encKey: key.material.slice(0, 16), macKey: key.material.slice(16, 32) };
        try {
          channel = SecureChannel.deviceSymmetric({ sessionId: slot, request: req, keys, cardChallenge: this.rng(8) });
        } finally {
          wipe(keys.encKey, keys.macKey);
        }
      } else {
        channel = SecureChannel.deviceAsymmetric({
          sessionId: slot,
          request: req,
          devicePrivateKey: this._state.identity.authPrivateKey,
          authPublicKey: key.material,
        });
      }
      const auth: SessionAuth = { authKeyId: key.id, domains: key.domains, capabilities: key.capabilities, delegated: key.delegated };
      this.sessions.add({ id: slot, channel, auth, lastActivity: this.now() });
      result = responseCode(Command.CREATE_SESSION);
      return channel.createSessionResponse();
    } catch (e) {
      result = this.codeOf(e, 'CreateSession');
      return errorFrame(result);
    } finally {
      this.log(Command.CREATE_SESSION, frame.payload.length, NO_KEY, target, NO_KEY, result);
    }
  }

  /** AuthenticateSession 0x04 (PROTOCOL.md 3.4): plain, MACed. */
  private authenticateSession(bytes: Uint8Array): Uint8Array {
    if (bytes.length < 4) return errorFrame(E.WRONG_LENGTH);
    const s = this.sessions.get(bytes[3]);
    if (!s) return this.logged(Command.AUTHENTICATE_SESSION, bytes, NO_KEY, errorFrame(E.INVALID_SESSION));
    let answer: Uint8Array;
    try {
      answer = s.channel.handleAuthenticateSession(bytes);
      this.sessions.touch(s);
    } catch (e) {
      if (s.channel.state === 'failed') this.sessions.drop(s.id);
      answer = errorFrame(this.codeOf(e, 'AuthenticateSession'));
    }
    return this.logged(Command.AUTHENTICATE_SESSION, bytes, s.auth.authKeyId, answer);
  }

  private logged(command: number, bytes: Uint8Array, target: number, answer: Uint8Array): Uint8Array {
    const result = answer[0] === Command.ERROR ? answer[3] : answer[0];
    this.log(command, bytes.length - 3, NO_KEY, target, NO_KEY, result);
    return answer;
  }

  /** SessionMessage 0x05 (PROTOCOL.md 3.5). */
  private async sessionMessage(bytes: Uint8Array): Promise<Uint8Array> {
    if (bytes.length < 4) return errorFrame(E.WRONG_LENGTH);
    const s = this.sessions.get(bytes[3]);
    if (!s) return errorFrame(E.INVALID_SESSION);
    let innerCommand: Uint8Array;
    try {
      innerCommand = s.channel.unwrapCommand(bytes);
    } catch (e) {
      if (s.channel.state === 'failed') this.sessions.drop(s.id);
      return errorFrame(this.codeOf(e, 'SessionMessage'));
    }
    const inner = decodeFrame(innerCommand);
    let innerResponse = await this.execute(inner.code, inner.payload, { auth: s.auth, session: s });
    if (innerResponse.length > MAX_INNER_RESPONSE) innerResponse = errorFrame(E.INVALID_DATA);
    let answer: Uint8Array;
    try {
      answer = s.channel.wrapResponse(innerResponse);
    } catch (e) {
      this.sessions.drop(s.id);
      return errorFrame(this.codeOf(e, 'SessionMessage response'));
    }
    this.sessions.touch(s);
    if (s.channel.state === 'closed') this.sessions.drop(s.id);
    return answer;
  }

  /** Runs one command (plain or the inner command of a session) and returns its response frame. */
  private async execute(code: number, payload: Uint8Array, x: Exec): Promise<Uint8Array> {
    const handler = handlers.get(code);
    const context = handler?.command.context;
    if (!handler || (x.auth === undefined ? context === 'session' : context === 'plain')) {
      return errorFrame(E.INVALID_COMMAND);
    }
    const contents = this._state.contents;
    try {
      checkLogSpace(contents, code);
    } catch (e) {
      return errorFrame(this.codeOf(e, handler.command.name));
    }
    const audit = { target: NO_KEY, second: NO_KEY };
    let answer: Uint8Array;
    try {
      const req = handler.command.decodeRequest(payload);
      const ctx: HandlerContext = {
        contents,
        auth: x.auth,
        device: this.services(x.session),
        audit,
        changed: () => {
          this.dirty = true;
        },
      };
      const res = await handler.run(ctx, req);
      answer = encodeFrame(responseCode(code), handler.command.encodeResponse(res));
    } catch (e) {
      answer = errorFrame(this.codeOf(e, handler.command.name));
    }
    const result = answer[0] === Command.ERROR ? answer[3] : answer[0];
    // A reset replaces the log; its own command is not logged.
    if (contents === this._state.contents) {
      this.log(code, payload.length, x.auth?.authKeyId ?? NO_KEY, audit.target, audit.second, result);
    }
    return answer;
  }

  private services(session: SimSession | undefined): DeviceServices {
    return {
      random: (n) => this.rng(n),
      firmware: FIRMWARE,
      partNumber: this.options.partNumber ?? DEFAULT_PART_NUMBER,
      identity: () => this.identity(),
      afterResponse: (a) => this.after.push(a),
      closeCurrentSession: () => {
        if (session) this.after.push(() => this.sessions.drop(session.id));
      },
      resetDevice: () => this.after.push(() => this.factoryReset()),
    };
  }

  private identity(): DeviceIdentity {
    const id = this._state.identity;
    if (!id.attestation) {
      const create = this.options.createAttestation ?? ((i: DeviceIdentity) => createDeviceAttestation(i, [FIRMWARE.major, FIRMWARE.minor, FIRMWARE.patch]));
      id.attestation = create(id);
      this.dirty = true;
    }
    return id;
  }

  /** Factory reset (PROTOCOL.md 4.7): every session closed, every object wiped, the log restarted. */
  private factoryReset(): void {
    this.sessions.dropAll();
    wipeContents(this._state.contents);
    const seed = this.rng(16);
    const contents = factoryContents(seed, this.commandAuditDefault);
    writeResetMarker(contents.log, seed);
    this.bootTime = this.now();
    writeBootMarker(contents);
    this._state.contents = contents;
    this.dirty = true;
  }

  private log(command: number, length: number, sessionKey: number, target: number, second: number, result: number): void {
    const log = this._state.contents.log;
    const before = `${log.lastNumber}/${log.unloggedAuthentications}`;
    logCommand(this._state.contents, {
      command, length, sessionKey, targetKey: target, secondKey: second, result, tick: (this.now() - this.bootTime) >>> 0,
    });
    if (`${log.lastNumber}/${log.unloggedAuthentications}` !== before) this.dirty = true;
  }

  private codeOf(e: unknown, where: string): number {
    const code = deviceCodeOf(e);
    if (code !== undefined && code !== DeviceErrorCode.OK) return code;
    this.internal(e, where);
    return E.INVALID_DATA;
  }

  private internal(e: unknown, where: string): void {
    this.internalErrors++;
    try {
      this.options.onInternalError?.(e, where);
    } catch {
      // A failing reporter must not break the device.
    }
  }

  private async persist(): Promise<void> {
    if (!this.dirty || !this.options.onStateChange) return;
    this.dirty = false;
    try {
      await this.options.onStateChange(this._state);
    } catch (e) {
      this.dirty = true;
      this.internal(e, 'persisting the state');
    }
  }
}

export { MAX_SESSIONS };
