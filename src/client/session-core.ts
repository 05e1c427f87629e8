/**
 * The engine of an authenticated session (PROTOCOL.md 3; client rules 2-8 of section 8); HsmSession (session.ts)
 * adds the device-wide commands on top.
 *
 * - Credentials: a password is turned into K-ENC/K-MAC once (PBKDF2) and never kept; pre-derived keys and a P-256
 *   private key (asymmetric authentication, firmware 2.3+) are copied. The derived keys are kept only while the
 *   session may reopen itself (`reopen: 'idempotent'`) and are wiped on close; otherwise right after the handshake.
 * - Commands on one session run one at a time, in call order (the MAC chain and counter demand it).
 * - An error inside the session (encrypted `7F 00 01 xx`) is a command error; the session stays open.
 *   INSUFFICIENT_PERMISSIONS and OBJECT_NOT_FOUND are explained by reading the auth key's and the targets' info.
 * - A plain error (INVALID_SESSION, AUTHENTICATION_FAILED, ...), a response that fails its R-MAC or decryption, or a
 *   transport failure kills the session (rule 4). With `reopen: 'idempotent'` a command that changes nothing on the
 *   device (isSafeToRerun) is re-run once on a fresh session; any other command fails with HsmSessionLostError,
 *   saying whether it ran, and the next call reopens the session. Every loss and reopen is reported to `onEvent`
 *   and emitted as `lost` / `reopened` events.
 * - Idle awareness: the device drops a session after 30 s without commands. `keepAliveMs` sends an Echo when the
 *   session has been idle that long; with `reopen: 'idempotent'` a session idle past 30 s is reopened before use.
 */
import { EventEmitter } from 'node:events';
import { DeviceError, ProtocolError, UsageError } from '../errors.js';
import { Command, responseCode } from '../protocol/command-codes.js';
import type { CommandDef } from '../protocol/command.js';
import { closeSession } from '../protocol/commands/close-session.js';
import { echo } from '../protocol/commands/echo.js';
import { getObjectInfo, type ObjectInfo, type ObjectRef } from '../protocol/commands/get-object-info.js';
import { DeviceErrorCode } from '../protocol/device-errors.js';
import { decodeFrame, encodeFrame, errorCodeOf } from '../protocol/frame.js';
import { authKeyId as parseAuthKeyId, formatId, type AuthKeyId } from '../protocol/ids.js';
import { SecureChannel, sessionFrameLength } from '../session/index.js';
import { isSafeToRerun } from './command-safety.js';
import { commandSpecificError, explainNotFound, explainPermissionError, explainPre25DataWrap, needsDiagnosis } from './diagnose.js';
import { commandLabel, HsmDeviceError, HsmSessionLostError, type SessionLossReason } from './errors.js';
import { SerialQueue } from '../transport/serial-queue.js';
import { credentialFrom, handshake, wipeCredential, type Credential, type SessionCredentials } from './credentials.js';
import type { YubiHsm } from './yubihsm.js';

export type { SessionCredentials } from './credentials.js';
export { deriveAuthenticationKeys } from './credentials.js';

/** Commands whose request carries key material in the clear: their encoded payload is wiped once answered. */
const SECRET_REQUESTS: ReadonlySet<number> = new Set([
  Command.PUT_AUTHENTICATION_KEY, Command.CHANGE_AUTHENTICATION_KEY, Command.PUT_ASYMMETRIC_KEY, Command.PUT_WRAP_KEY,
  Command.PUT_HMAC_KEY, Command.PUT_OTP_AEAD_KEY, Command.PUT_SYMMETRIC_KEY,
]);

/** The device forgets a session after 30 s without commands (PROTOCOL.md 3.5). */
export const SESSION_IDLE_LIMIT_MS = 30_000;

export type SessionOptions = SessionCredentials & {
  /** `idempotent`: after a session loss, reopen and re-run commands that change nothing. Default `never`. */
  reopen?: 'never' | 'idempotent';
  /** Called for every loss, reopen and keep-alive failure (also emitted as events). */
  onEvent?: (event: SessionEvent) => void;
  /** Send an Echo after this much idle time (ms, below 30 000); off when omitted or 0. */
  keepAliveMs?: number;
  /** Read object info after INSUFFICIENT_PERMISSIONS / OBJECT_NOT_FOUND to name what is missing (default true). */
  diagnose?: boolean;
  /** Symmetric sessions: the 8-byte host challenge of the first handshake. Random when omitted; inject only in tests. */
  hostChallenge?: Uint8Array;
};

export type SessionEvent =
  | { type: 'lost'; reason: SessionLossReason; sessionId: number; command: string; executed: 'no' | 'unknown' }
  | {
      type: 'reopened';
      reason: SessionLossReason | 'idle-expired';
      previousSessionId: number;
      sessionId: number;
      /** The command that triggered the reopen. */
      command: string;
      /** True when that command was re-run on the new session after the old one died under it. */
      rerun: boolean;
    }
  | { type: 'keep-alive-failed'; sessionId: number; error: Error }
  | { type: 'closed'; sessionId: number };

export class SessionCore extends EventEmitter {
  readonly authKeyId: AuthKeyId;
  readonly reopenPolicy: 'never' | 'idempotent';
  private channel: SecureChannel;
  private credential: Credential | undefined;
  private readonly queue = new SerialQueue();
  private state: 'open' | 'lost' | 'closed' = 'open';
  private lostReason: SessionLossReason = 'invalid-session';
  private lastActivity = Date.now();
  private readonly onEvent: ((e: SessionEvent) => void) | undefined;
  private readonly diagnose: boolean;
  private keepAliveTimer: NodeJS.Timeout | undefined;

  protected constructor(
    readonly hsm: YubiHsm,
    id: AuthKeyId,
    channel: SecureChannel,
    credential: Credential | undefined,
    options: SessionOptions,
  ) {
    super();
    this.authKeyId = id;
    this.channel = channel;
    this.credential = credential;
    this.reopenPolicy = options.reopen ?? 'never';
    this.onEvent = options.onEvent;
    this.diagnose = options.diagnose ?? true;
    const every = options.keepAliveMs ?? 0;
    if (every > 0) {
      this.keepAliveTimer = setInterval(() => this.keepAlive(every), Math.max(250, Math.floor(every / 4)));
      this.keepAliveTimer.unref();
    }
  }

  /** Checks the options and runs the handshake; the subclass builds itself from the result. */
  protected static async establish(
    hsm: YubiHsm,
    options: SessionOptions,
  ): Promise<{ id: AuthKeyId; channel: SecureChannel; credential: Credential | undefined }> {
    const id = parseAuthKeyId(options.authKeyId);
    const reopen = options.reopen ?? 'never';
    if (reopen !== 'never' && reopen !== 'idempotent') {
      throw new UsageError('HSM_BAD_OPTION', `reopen must be 'never' or 'idempotent', got ${JSON.stringify(reopen)}.`);
    }
    const ka = options.keepAliveMs ?? 0;
    if (!Number.isFinite(ka) || ka < 0 || ka >= SESSION_IDLE_LIMIT_MS) {
      throw new UsageError('HSM_BAD_OPTION', `keepAliveMs must be 0 (off) or below ${SESSION_IDLE_LIMIT_MS} ms, got ${ka}.`);
    }
    const credential = await credentialFrom(hsm, options);
    try {
      const channel = await handshake(hsm, id, credential, options.hostChallenge);
      const keep = reopen === 'idempotent';
      if (!keep) wipeCredential(credential);
      return { id, channel, credential: keep ? credential : undefined };
    } catch (e) {
      wipeCredential(credential);
      throw e;
    }
  }

  /** The device's session id (0-15); changes when the session is reopened. */
  get sessionId(): number {
    return this.channel.sessionId ?? -1;
  }

  /** `open`, `lost` (the device dropped it; see reopen) or `closed`. */
  get status(): 'open' | 'lost' | 'closed' {
    return this.state;
  }

  /** Milliseconds since the last verified answer on this session. */
  get idleMs(): number {
    return Date.now() - this.lastActivity;
  }

  /**
   * Runs one command inside the session: encodes the request with its definition, wraps, sends, verifies and
   * decodes the answer. Device errors become HsmDeviceError (HsmPermissionError / HsmObjectNotFoundError).
   */
  call<Q, R>(def: CommandDef<Q, R>, request: Q): Promise<R> {
    if (def.context === 'plain') {
      return Promise.reject(new UsageError('HSM_PLAIN_COMMAND', `${commandLabel(def.code)} is sent outside sessions; use the YubiHsm object.`));
    }
    let inner: Uint8Array;
    let payload: Uint8Array;
    try {
      payload = def.encodeRequest(request);
      inner = encodeFrame(def.code, payload);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.queue.run(async () => {
      try {
        const answer = await this.transact(def.code, inner, false);
        return await this.decodeAnswer(def, payload, answer);
      } finally {
        // The frame is ours; a Put* request's payload is too (built around the key, never the caller's buffer),
        // and holds the key in the clear.
        inner.fill(0);
        if (SECRET_REQUESTS.has(def.code)) payload.fill(0);
      }
    });
  }

  /** Closes the session on the device (CloseSession) and wipes its keys. Idempotent; never throws for a dead session. */
  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.state === 'closed') return;
      const sessionId = this.sessionId;
      try {
        if (this.state === 'open') {
          const answer = await this.exchangeOnce(encodeFrame(Command.CLOSE_SESSION, closeSession.encodeRequest()));
          decodeFrame(answer);
        }
      } catch {
        // The device frees a session it cannot reach after 30 s anyway.
      } finally {
        this.endLocally(sessionId);
      }
    });
  }

  /** Forgets the session without telling the device (after ResetDevice, which ends every session). */
  protected endLocally(sessionId = this.sessionId): void {
    if (this.state === 'closed') return;
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.channel.close();
    wipeCredential(this.credential);
    this.credential = undefined;
    this.state = 'closed';
    this.report({ type: 'closed', sessionId });
  }

  // ---- internals ----

  private report(event: SessionEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // A listener's failure must not break the session.
    }
    this.emit(event.type, event);
    this.emit('event', event);
  }

  private async decodeAnswer<Q, R>(def: CommandDef<Q, R>, payload: Uint8Array, answer: Uint8Array): Promise<R> {
    const frame = decodeFrame(answer);
    const code = errorCodeOf(frame);
    if (code !== undefined) {
      const specific = commandSpecificError(def.code, code, payload, this.authKeyId);
      if (specific) throw specific;
      if (this.diagnose && code === DeviceErrorCode.INVALID_DATA && !this.hsm.supports(2, 5)) {
        const quirk = await explainPre25DataWrap(def.code, payload, this.authKeyId, (ref) => this.lookupInfo(ref));
        if (quirk) throw quirk;
      }
      if (!this.diagnose || !needsDiagnosis(code)) throw new HsmDeviceError(def.code, code);
      const lookup = (ref: ObjectRef) => this.lookupInfo(ref);
      throw code === DeviceErrorCode.INSUFFICIENT_PERMISSIONS
        ? await explainPermissionError(def.code, payload, this.authKeyId, lookup)
        : await explainNotFound(def.code, payload, this.authKeyId, lookup);
    }
    if (frame.code !== responseCode(def.code)) {
      throw new ProtocolError(
        'HSM_UNEXPECTED_RESPONSE',
        `The device answered ${commandLabel(def.code)} with response code 0x${frame.code.toString(16)}; the session may be out of step: close it and open a new one.`,
      );
    }
    return def.decodeResponse(frame.payload);
  }

  /** GetObjectInfo for a diagnosis (already inside the queue); undefined when not visible or on any failure. */
  private async lookupInfo(ref: ObjectRef): Promise<ObjectInfo | undefined> {
    if (this.state !== 'open') return undefined;
    try {
      const answer = await this.exchangeOnce(encodeFrame(Command.GET_OBJECT_INFO, getObjectInfo.encodeRequest(ref)));
      const frame = decodeFrame(answer);
      if (frame.code !== responseCode(Command.GET_OBJECT_INFO)) return undefined;
      return getObjectInfo.decodeResponse(frame.payload);
    } catch (e) {
      if (e instanceof SessionLoss) this.markLost(e, Command.GET_OBJECT_INFO);
      return undefined;
    }
  }

  private markLost(loss: SessionLoss, command: number): void {
    this.state = 'lost';
    this.lostReason = loss.reason;
    this.report({ type: 'lost', reason: loss.reason, sessionId: loss.sessionId, command: commandLabel(command), executed: loss.executed });
  }

  /** One command on a usable session, with loss handling and (when allowed) one re-run on a fresh session. */
  private async transact(command: number, inner: Uint8Array, isRetry: boolean): Promise<Uint8Array> {
    await this.ensureUsable(command);
    const limit = this.hsm.maxFrame;
    if (sessionFrameLength(inner.length) > limit) {
      throw new UsageError(
        'HSM_FRAME_TOO_LARGE',
        `${commandLabel(command)} with ${inner.length - 3} bytes of data does not fit one ${limit}-byte frame; send less data per command.`,
      );
    }
    try {
      return await this.exchangeOnce(inner);
    } catch (e) {
      if (!(e instanceof SessionLoss)) throw e;
      this.markLost(e, command);
      if (this.reopenPolicy === 'idempotent' && isSafeToRerun(command) && !isRetry) {
        await this.reopen(e.reason, commandLabel(command), true, e.cause);
        return this.transact(command, inner, true);
      }
      throw this.lostError(command, e);
    }
  }

  /** Sends one inner frame; every way the session can die becomes a SessionLoss. */
  private async exchangeOnce(inner: Uint8Array): Promise<Uint8Array> {
    const sessionId = this.sessionId;
    const frame = this.channel.wrapCommand(inner);
    let response: Uint8Array;
    try {
      response = await this.hsm.sendFrame(frame);
    } catch (cause) {
      this.channel.close();
      throw new SessionLoss('transport', 'unknown', sessionId, cause);
    }
    try {
      const answer = this.channel.unwrapResponse(response);
      this.lastActivity = Date.now();
      return answer;
    } catch (cause) {
      if (cause instanceof DeviceError) {
        const reason: SessionLossReason =
          cause.deviceCode === DeviceErrorCode.INVALID_SESSION
            ? 'invalid-session'
            : cause.deviceCode === DeviceErrorCode.AUTHENTICATION_FAILED
              ? 'authentication-failed'
              : 'session-refused';
        throw new SessionLoss(reason, 'no', sessionId, cause);
      }
      throw new SessionLoss('bad-response', 'unknown', sessionId, cause);
    }
  }

  private async ensureUsable(command: number): Promise<void> {
    if (this.state === 'open' && (this.reopenPolicy !== 'idempotent' || this.idleMs < SESSION_IDLE_LIMIT_MS)) return;
    const label = commandLabel(command);
    if (this.state === 'closed') {
      throw new UsageError('HSM_SESSION_CLOSED', `This session is closed, so ${label} was not sent; open a new session with hsm.openSession().`);
    }
    if (this.state === 'lost') {
      if (this.reopenPolicy !== 'idempotent') {
        throw new HsmSessionLostError(command, this.lostReason, 'no',
          `Session with auth key ${formatId(this.authKeyId)} was lost earlier (${this.lostReason}), so ${label} was not sent`, 'open a new session');
      }
      await this.reopen(this.lostReason, label, false);
      return;
    }
    if (this.reopenPolicy === 'idempotent' && this.idleMs >= SESSION_IDLE_LIMIT_MS) {
      // The device has certainly dropped it (its 30 s run from its answer, which came before ours was read).
      this.channel.close();
      await this.reopen('idle-expired', label, false);
    }
  }

  private async reopen(reason: SessionLossReason | 'idle-expired', command: string, rerun: boolean, lossCause?: unknown): Promise<void> {
    const previousSessionId = this.sessionId;
    if (!this.credential) {
      throw new UsageError('HSM_SESSION_CLOSED', 'This session cannot reopen itself (its keys were wiped); open a new session.');
    }
    let channel: SecureChannel;
    try {
      channel = await handshake(this.hsm, this.authKeyId, this.credential);
    } catch (e) {
      this.state = 'lost';
      throw new HsmSessionLostError(
        Command.CREATE_SESSION,
        reason === 'idle-expired' ? 'invalid-session' : reason,
        'no',
        `Session with auth key ${formatId(this.authKeyId)} was lost (${reason}) and reopening it failed: ${(e as Error).message}`,
        undefined,
        { cause: lossCause ?? e },
      );
    }
    this.channel.close();
    this.channel = channel;
    this.state = 'open';
    this.lastActivity = Date.now();
    this.report({ type: 'reopened', reason, previousSessionId, sessionId: this.sessionId, command, rerun });
  }

  private lostError(command: number, loss: SessionLoss): HsmSessionLostError {
    const label = commandLabel(command);
    const why: Record<SessionLossReason, string> = {
      'invalid-session': 'the device no longer knows it (idle for 30 s, closed, or the device was reset)',
      'authentication-failed': 'the device rejected the message MAC (the session keys or MAC chain are out of step)',
      'session-refused': `the device refused the session message (${(loss.cause as Error)?.message ?? 'plain error'})`,
      'bad-response': `the answer failed verification (${(loss.cause as Error)?.message ?? 'bad R-MAC'})`,
      transport: `the transport failed (${(loss.cause as Error)?.message ?? 'connection lost'})`,
    };
    const ran = loss.executed === 'no' ? `${label} was not executed` : `${label} may or may not have run on the device`;
    let todo: string;
    if (this.reopenPolicy !== 'idempotent') {
      todo = "open a new session (or open sessions with reopen: 'idempotent' to reopen automatically for reads and signs)";
    } else {
      todo = `${label} changes device state, so it is not re-run automatically` +
        (loss.executed === 'unknown' ? '; check the device state (ListObjects, GetObjectInfo) before retrying' : '') +
        '; the next call reopens the session';
    }
    return new HsmSessionLostError(
      command, loss.reason, loss.executed,
      `Session ${loss.sessionId} with auth key ${formatId(this.authKeyId)} is gone: ${why[loss.reason]}. ${ran}`,
      todo,
      { cause: loss.cause },
    );
  }

  private keepAlive(every: number): void {
    if (this.state !== 'open' || this.queue.size > 0 || this.idleMs < every) return;
    this.queue
      .run(async () => {
        if (this.state !== 'open' || this.idleMs < every) return;
        const answer = await this.transact(Command.ECHO, encodeFrame(Command.ECHO, echo.encodeRequest(Uint8Array.of(0))), false);
        decodeFrame(answer);
      })
      .catch((error: Error) => this.report({ type: 'keep-alive-failed', sessionId: this.sessionId, error }));
  }
}

/** Internal: how an exchange killed the session. */
class SessionLoss extends Error {
  constructor(
    readonly reason: SessionLossReason,
    readonly executed: 'no' | 'unknown',
    readonly sessionId: number,
    override readonly cause: unknown,
  ) {
    super(reason);
  }
}
