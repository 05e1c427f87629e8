/**
 * The YubiHSM 2 secure channel (SCP03-style; PROTOCOL.md 3, https://developers.yubico.com/YubiHSM2/Concepts/Session.html).
 * One type plays both roles; each method belongs to one role and throws `WRONG_ROLE` in the other.
 *
 * Host (the client):
 *   const ch = SecureChannel.hostSymmetric({ authKeyId, keys: passwordToKeys(pw) })   // or hostAsymmetric(...)
 *   await ch.handshake(send)               // or step by step:
 *     const auth = ch.handleCreateSessionResponse(await send(ch.createSessionRequest()));
 *     if (auth) ch.handleAuthenticateSessionResponse(await send(auth));   // undefined for asymmetric sessions
 *   const inner = ch.unwrapResponse(await send(ch.wrapCommand(innerCommandFrame)));
 *   `inner` may be an encrypted error frame `7F 00 01 xx`: the command failed, the session is still open.
 *   A plain `7F 00 01 xx` reply throws DeviceError `HSM_<NAME>`; any other failure throws a typed error; both
 *   leave the channel `failed` (keys wiped): open a new session. A CloseSession answered with C0 closes it.
 *
 * Device (the simulator), after decoding the CreateSession payload with protocol's `createSession.decodeRequest`
 * and finding the authentication key:
 *   const ch = SecureChannel.deviceSymmetric({ sessionId, request, keys })            // or deviceAsymmetric(...)
 *   reply(ch.createSessionResponse())
 *   reply(ch.handleAuthenticateSession(frame))          // symmetric only; answers 84 00 00
 *   const inner = ch.unwrapCommand(frame); ...execute...; reply(ch.wrapResponse(innerResponse))
 * Every error thrown by a device-role method carries `deviceCode`: answer `errorFrame(err.deviceCode)` unMACed.
 * After a failure `state` is `failed` (bad MAC, bad padding, malformed frame: PROTOCOL.md 10 #16): free the slot.
 * Errors that leave the session as it was: INVALID_SESSION for a frame naming another session id or a session
 * in the wrong state, and UsageErrors for calling methods out of order (a simulator bug).
 */
import { generateP256KeyPair, p256PublicKey, uncompressedP256 } from '../crypto/asym-auth.js';
import { constantTimeEqual, randomBytes, wipe } from '../crypto/random.js';
import { CHALLENGE_LENGTH, wipeSessionKeys, type SessionKeys, type StaticKeys } from '../crypto/scp03.js';
import { UsageError } from '../errors.js';
import { Command, responseCode } from '../protocol/command-codes.js';
import { authenticateSession } from '../protocol/commands/authenticate-session.js';
import { createSession } from '../protocol/commands/create-session.js';
import { DeviceErrorCode } from '../protocol/device-errors.js';
import { decodeFrame, encodeFrame, errorCodeOf } from '../protocol/frame.js';
import { deviceRefusal, deviceSessionGone, protocolError, SessionAuthenticationError, sessionNotOpen } from './errors.js';
import { asymmetricSecrets, authenticateSessionFrame, authenticateSessionMac, symmetricSecrets } from './handshake.js';
import {
  authKeyIdOf, bytesOf, sessionIdOf,
  type DeviceAsymmetricOptions, type DeviceSymmetricOptions, type HostAsymmetricOptions, type HostSymmetricOptions,
} from './options.js';
import { innerFrameLength, MessageState, SESSION_MESSAGE, SESSION_RESPONSE } from './session-message.js';

export type ChannelRole = 'host' | 'device';
/**
 * new → (host: awaiting-create →) [authenticating →] open ⇄ exchanging → closed | failed.
 * `exchanging`: a command was wrapped (host) or unwrapped (device) and its response is due.
 */
export type ChannelState = 'new' | 'awaiting-create' | 'authenticating' | 'open' | 'exchanging' | 'closed' | 'failed';
/** Sends one plain frame to the device and resolves with its answer (a Transport's `send`). */
export type SendFrame = (frame: Uint8Array) => Promise<Uint8Array>;
export type { DeviceAsymmetricOptions, DeviceSymmetricOptions, HostAsymmetricOptions, HostSymmetricOptions };

type Pending =
  | { kind: 'host-sym'; keys: StaticKeys; hostChallenge: Uint8Array }
  | { kind: 'host-asym'; privateKey: Uint8Array; devicePublicKey: Uint8Array; esk: Uint8Array; epk: Uint8Array }
  | { kind: 'host-auth'; sessionKeys: SessionKeys; frame: Uint8Array; chain: Uint8Array }
  | { kind: 'device-sym'; sessionKeys: SessionKeys; response: Uint8Array; hostCryptogram: Uint8Array }
  | { kind: 'device-asym'; sessionKeys: SessionKeys; response: Uint8Array; receipt: Uint8Array };

const ERROR_LENGTH = 4;
const CREATE_SESSION_OK = responseCode(Command.CREATE_SESSION);
const AUTHENTICATE_SESSION_OK = responseCode(Command.AUTHENTICATE_SESSION);
const CLOSE_SESSION_OK = responseCode(Command.CLOSE_SESSION);

function isPlainError(frame: Uint8Array): boolean {
  return frame.length === ERROR_LENGTH && frame[0] === Command.ERROR && frame[1] === 0 && frame[2] === 1;
}

export class SecureChannel {
  private _state: ChannelState = 'new';
  private sid: number | undefined;
  private msg: MessageState | undefined;
  private pending: Pending | undefined;
  private lastCommand = -1;
  private _cleanupFrame: Uint8Array | undefined;

  private constructor(
    readonly role: ChannelRole,
    readonly authKeyId: number,
  ) {}

  // ---- factories ----

  static hostSymmetric(o: HostSymmetricOptions): SecureChannel {
    const ch = new SecureChannel('host', authKeyIdOf(o.authKeyId));
    bytesOf(o.keys?.encKey, 16, 'K-ENC');
    bytesOf(o.keys?.macKey, 16, 'K-MAC');
    const hostChallenge = bytesOf(o.hostChallenge, CHALLENGE_LENGTH, 'The host challenge') ?? randomBytes(CHALLENGE_LENGTH);
    ch.pending = { kind: 'host-sym', keys: o.keys, hostChallenge };
    return ch;
  }

  static hostAsymmetric(o: HostAsymmetricOptions): SecureChannel {
    const ch = new SecureChannel('host', authKeyIdOf(o.authKeyId));
    const devicePublicKey = uncompressedP256(o.devicePublicKey, 'device public key');
    const given = bytesOf(o.ephemeralPrivateKey, 32, 'The ephemeral private key');
    const pair = given ? { privateKey: given, publicKey: p256PublicKey(given) } : generateP256KeyPair();
    p256PublicKey(o.privateKey); // validates SK.OCE now rather than after the first round trip
    ch.pending = {
      kind: 'host-asym', privateKey: o.privateKey, devicePublicKey, esk: pair.privateKey, epk: pair.publicKey,
    };
    return ch;
  }

  static deviceSymmetric(o: DeviceSymmetricOptions): SecureChannel {
    const ch = new SecureChannel('device', authKeyIdOf(o.request.authKeyId));
    ch.sid = sessionIdOf(o.sessionId);
    const cardChallenge = bytesOf(o.cardChallenge, CHALLENGE_LENGTH, 'The card challenge') ?? randomBytes(CHALLENGE_LENGTH);
    const s = symmetricSecrets(o.keys, o.request.hostChallenge, cardChallenge);
    const payload = createSession.encodeResponse({
      kind: 'symmetric', sessionId: ch.sid, cardChallenge, cardCryptogram: s.cardCryptogram,
    });
    ch.pending = { kind: 'device-sym', sessionKeys: s.sessionKeys, response: encodeFrame(CREATE_SESSION_OK, payload), hostCryptogram: s.hostCryptogram };
    return ch;
  }

  /** Throws ProtocolError INVALID_EC_POINT (deviceCode INVALID_DATA) when the host's ephemeral key is not on P-256. */
  static deviceAsymmetric(o: DeviceAsymmetricOptions): SecureChannel {
    const ch = new SecureChannel('device', authKeyIdOf(o.request.authKeyId));
    ch.sid = sessionIdOf(o.sessionId);
    const given = bytesOf(o.ephemeralPrivateKey, 32, 'The ephemeral private key');
    const pair = given ? { privateKey: given, publicKey: p256PublicKey(given) } : generateP256KeyPair();
    try {
      const s = asymmetricSecrets({
        ephemeralPrivate: pair.privateKey,
        staticPrivate: o.devicePrivateKey,
        peerEphemeral: o.request.hostEphemeralPublicKey,
        peerStatic: o.authPublicKey,
        deviceEphemeralPublic: pair.publicKey,
        hostEphemeralPublic: o.request.hostEphemeralPublicKey,
      });
      const payload = createSession.encodeResponse({
        kind: 'asymmetric', sessionId: ch.sid, deviceEphemeralPublicKey: pair.publicKey, receipt: s.receipt,
      });
      ch.pending = { kind: 'device-asym', sessionKeys: s.sessionKeys, response: encodeFrame(CREATE_SESSION_OK, payload), receipt: s.receipt };
    } finally {
      wipe(pair.privateKey);
    }
    return ch;
  }

  // ---- inspection ----

  get state(): ChannelState {
    return this._state;
  }

  /** True while commands can be exchanged (`open` or `exchanging`). */
  get isOpen(): boolean {
    return this._state === 'open' || this._state === 'exchanging';
  }

  /** Known on the device from the start, on the host once CreateSession has been answered. */
  get sessionId(): number | undefined {
    return this.sid;
  }

  /** The message counter (1 right after authentication); undefined before and after the session. */
  get counter(): bigint | undefined {
    return this.msg?.counter;
  }

  /** A copy of the 16-byte MAC chain value (diagnostics and tests). */
  get macChain(): Uint8Array | undefined {
    return this.msg?.macChain;
  }

  /**
   * Host, after handleCreateSessionResponse threw WRONG_PASSWORD: the AuthenticateSession frame built with our
   * keys. Sending it (and ignoring the answer) lets the device discard the half-open session, as libyubihsm does.
   */
  get cleanupFrame(): Uint8Array | undefined {
    return this._cleanupFrame?.slice();
  }

  // ---- host role ----

  /** The plain CreateSession frame: `03 00 0A ‖ key id ‖ host challenge`, or `03 00 43 ‖ key id ‖ EPK.OCE`. */
  createSessionRequest(): Uint8Array {
    this.need('host', 'new');
    const p = this.pending!;
    const payload =
      p.kind === 'host-sym'
        ? createSession.encodeRequest({ kind: 'symmetric', authKeyId: this.authKeyId, hostChallenge: p.hostChallenge })
        : createSession.encodeRequest({ kind: 'asymmetric', authKeyId: this.authKeyId, hostEphemeralPublicKey: (p as { epk: Uint8Array }).epk });
    this._state = 'awaiting-create';
    return encodeFrame(Command.CREATE_SESSION, payload);
  }

  /**
   * Checks the device's CreateSession answer. Symmetric: verifies the card cryptogram (AuthenticationError
   * WRONG_PASSWORD) and returns the AuthenticateSession frame to send. Asymmetric: verifies the receipt
   * (AuthenticationError ASYMMETRIC_AUTH_FAILED), opens the session and returns undefined.
   */
  handleCreateSessionResponse(frame: Uint8Array): Uint8Array | undefined {
    this.need('host', 'awaiting-create');
    return this.guard(() => {
      const payload = this.expectPlain(frame, CREATE_SESSION_OK, 'CreateSession');
      const res = createSession.decodeResponse(payload);
      const p = this.pending!;
      if (p.kind === 'host-sym') {
        if (res.kind !== 'symmetric') throw protocolError('UNEXPECTED_RESPONSE', 'The device answered a symmetric CreateSession with an asymmetric session; check the connector target.');
        this.sid = res.sessionId;
        const s = symmetricSecrets(p.keys, p.hostChallenge, res.cardChallenge);
        const auth = authenticateSessionFrame(s.sessionKeys.macKey, res.sessionId, s.hostCryptogram);
        if (!constantTimeEqual(s.cardCryptogram, res.cardCryptogram)) {
          this._cleanupFrame = auth.frame;
          wipeSessionKeys(s.sessionKeys);
          throw new SessionAuthenticationError(
            'WRONG_PASSWORD',
            `The device did not prove knowledge of the credentials for authentication key ${this.authKeyId}; check the authentication key id and password.`,
          );
        }
        this.pending = { kind: 'host-auth', sessionKeys: s.sessionKeys, frame: auth.frame, chain: auth.chain };
        this._state = 'authenticating';
        return auth.frame.slice();
      }
      if (p.kind !== 'host-asym' || res.kind !== 'asymmetric') {
        throw protocolError('UNEXPECTED_RESPONSE', 'The device answered an asymmetric CreateSession with a symmetric session; check the connector target.');
      }
      this.sid = res.sessionId;
      const s = asymmetricSecrets({
        ephemeralPrivate: p.esk,
        staticPrivate: p.privateKey,
        peerEphemeral: res.deviceEphemeralPublicKey,
        peerStatic: p.devicePublicKey,
        deviceEphemeralPublic: res.deviceEphemeralPublicKey,
        hostEphemeralPublic: p.epk,
      });
      if (!constantTimeEqual(s.receipt, res.receipt)) {
        wipeSessionKeys(s.sessionKeys);
        throw new SessionAuthenticationError(
          'ASYMMETRIC_AUTH_FAILED',
          `The device session receipt did not verify for authentication key ${this.authKeyId}; check the key id, its private key and the device public key.`,
        );
      }
      wipe(p.esk);
      this.open(s.sessionKeys, s.receipt);
      return undefined;
    });
  }

  /** Checks the `84 00 00` answer to AuthenticateSession; the session is then open with counter 1. */
  handleAuthenticateSessionResponse(frame: Uint8Array): void {
    this.need('host', 'authenticating');
    this.guard(() => {
      const payload = this.expectPlain(frame, AUTHENTICATE_SESSION_OK, 'AuthenticateSession');
      authenticateSession.decodeResponse(payload);
      const p = this.pending as Extract<Pending, { kind: 'host-auth' }>;
      this.open(p.sessionKeys, p.chain);
    });
  }

  /** Runs the whole handshake over `send`. On WRONG_PASSWORD it first sends the cleanup frame, then throws. */
  async handshake(send: SendFrame): Promise<void> {
    const created = await this.sendOrFail(send, this.createSessionRequest());
    let auth: Uint8Array | undefined;
    try {
      auth = this.handleCreateSessionResponse(created);
    } catch (e) {
      const cleanup = this._cleanupFrame;
      if (cleanup) await send(cleanup).catch(() => undefined);
      throw e;
    }
    if (auth) this.handleAuthenticateSessionResponse(await this.sendOrFail(send, auth));
  }

  /** Encrypts and MACs one inner command frame (`code ‖ u16 len ‖ payload`) into a SessionMessage frame. */
  wrapCommand(inner: Uint8Array): Uint8Array {
    this.need('host', 'open');
    this.checkInner(inner, 'command');
    const out = this.guard(() => this.msg!.sealCommand(inner));
    this.lastCommand = inner[0];
    this._state = 'exchanging';
    return out;
  }

  /**
   * Verifies and decrypts the answer to the last wrapCommand and returns the inner response frame, which may
   * be an encrypted error frame `7F 00 01 xx` (the command failed; the session stays open).
   */
  unwrapResponse(frame: Uint8Array): Uint8Array {
    this.need('host', 'exchanging');
    return this.guard(() => {
      if (isPlainError(frame)) throw deviceRefusal(frame[3], 'the session message');
      if (frame[0] !== SESSION_RESPONSE) {
        throw protocolError('UNEXPECTED_RESPONSE', `Expected a SessionMessage answer (0x85) but got code 0x${(frame[0] ?? 0).toString(16)}; the session is closed, open a new one.`);
      }
      const inner = this.msg!.openResponse(frame);
      this.afterExchange(inner);
      return inner;
    });
  }

  // ---- device role ----

  /** The CreateSession answer computed when the channel was made (`83 00 11 …` or `83 00 52 …`). */
  createSessionResponse(): Uint8Array {
    this.need('device', 'new');
    const p = this.pending!;
    if (p.kind === 'device-asym') {
      this.open(p.sessionKeys, p.receipt);
      return p.response;
    }
    this._state = 'authenticating';
    return (p as Extract<Pending, { kind: 'device-sym' }>).response;
  }

  /** Verifies AuthenticateSession (host cryptogram and MAC) and answers `84 00 00`; counter becomes 1. */
  handleAuthenticateSession(frame: Uint8Array): Uint8Array {
    this.needRole('device');
    if (frame[0] !== Command.AUTHENTICATE_SESSION) throw new UsageError('WRONG_COMMAND', 'handleAuthenticateSession takes AuthenticateSession (0x04) frames.');
    if (frame.length >= 4 && frame[3] !== this.sid) throw this.otherSession(frame[3]);
    if (this._state !== 'authenticating') throw deviceSessionGone();
    return this.guard(() => {
      const req = authenticateSession.decodeRequest(decodeFrame(frame).payload);
      const p = this.pending as Extract<Pending, { kind: 'device-sym' }>;
      const { fullMac } = authenticateSessionMac(p.sessionKeys.macKey, this.sid!, req.hostCryptogram);
      const macOk = constantTimeEqual(fullMac.subarray(0, 8), req.mac);
      const cryptogramOk = constantTimeEqual(p.hostCryptogram, req.hostCryptogram);
      if (!macOk || !cryptogramOk) {
        throw new SessionAuthenticationError(
          'HOST_AUTHENTICATION_FAILED',
          'AuthenticateSession did not verify: the host holds other credentials for this authentication key; the session is closed.',
        );
      }
      this.open(p.sessionKeys, fullMac);
      return encodeFrame(AUTHENTICATE_SESSION_OK);
    });
  }

  /**
   * Verifies (against the MAC chain) and decrypts one SessionMessage frame; returns the inner command frame.
   * A replayed or reordered frame fails the MAC check: SessionAuthenticationError, deviceCode 0x04, state failed.
   */
  unwrapCommand(frame: Uint8Array): Uint8Array {
    this.needRole('device');
    if (frame[0] !== SESSION_MESSAGE) throw new UsageError('WRONG_COMMAND', 'unwrapCommand takes SessionMessage (0x05) frames.');
    if (frame.length >= 4 && frame[3] !== this.sid) throw this.otherSession(frame[3]);
    if (this._state === 'exchanging') throw new UsageError('RESPONSE_PENDING', 'The previous command has not been answered; call wrapResponse first.');
    if (this._state !== 'open') throw deviceSessionGone();
    const inner = this.guard(() => this.msg!.openCommand(frame));
    this.lastCommand = inner[0];
    this._state = 'exchanging';
    return inner;
  }

  /** Encrypts and R-MACs the inner response frame (success or `7F 00 01 xx`) to the last unwrapped command. */
  wrapResponse(inner: Uint8Array): Uint8Array {
    this.need('device', 'exchanging');
    this.checkInner(inner, 'response');
    const out = this.guard(() => this.msg!.sealResponse(inner));
    this.afterExchange(inner);
    return out;
  }

  // ---- both roles ----

  /** Ends the session locally and wipes its keys (idempotent). Does not send CloseSession. */
  close(): void {
    this.end('closed');
  }

  // ---- internals ----

  private open(keys: SessionKeys, chain: Uint8Array): void {
    this.msg = new MessageState(this.sid!, keys, chain);
    wipe(chain);
    this.pending = undefined;
    this._state = 'open';
  }

  private afterExchange(inner: Uint8Array): void {
    this._state = 'open';
    if (this.lastCommand === Command.CLOSE_SESSION && inner[0] === CLOSE_SESSION_OK) this.end('closed');
  }

  private end(state: 'closed' | 'failed'): void {
    if (this._state === 'closed' || this._state === 'failed') return;
    this._state = state;
    this.msg?.wipe();
    this.msg = undefined;
    const p = this.pending;
    if (p && 'sessionKeys' in p) wipeSessionKeys(p.sessionKeys);
    if (p?.kind === 'host-asym') wipe(p.esk);
    if (p?.kind === 'host-auth') wipe(p.chain);
    this.pending = undefined;
  }

  private guard<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      this.end('failed');
      throw e;
    }
  }

  private async sendOrFail(send: SendFrame, frame: Uint8Array): Promise<Uint8Array> {
    try {
      return await send(frame);
    } catch (e) {
      this.end('failed');
      throw e;
    }
  }

  private needRole(role: ChannelRole): void {
    if (this.role !== role) {
      throw new UsageError('WRONG_ROLE', `This method belongs to the ${role} role but the channel plays the ${this.role}.`);
    }
  }

  private need(role: ChannelRole, state: ChannelState): void {
    this.needRole(role);
    if (this._state === state) return;
    if (this._state === 'exchanging') {
      throw new UsageError('RESPONSE_PENDING', 'A command is in flight on this session; handle its response first (one command at a time).');
    }
    if (state === 'exchanging') {
      throw new UsageError('NO_COMMAND_PENDING', `No command is in flight; call ${role === 'host' ? 'wrapCommand' : 'unwrapCommand'} first.`);
    }
    if (role === 'device' && (this._state === 'closed' || this._state === 'failed')) throw deviceSessionGone();
    if (state === 'open') throw sessionNotOpen(this._state);
    throw new UsageError('OUT_OF_ORDER', `This step needs the session to be ${state}, but it is ${this._state}.`);
  }

  private checkInner(inner: Uint8Array, what: string): void {
    if (!(inner instanceof Uint8Array) || innerFrameLength(inner) < 0) {
      throw new UsageError('BAD_INNER_FRAME', `The inner ${what} must be one whole frame (code ‖ u16 length ‖ payload).`);
    }
    if (inner.length > 0xffff - 1 - 8 - 16) {
      throw new UsageError('FRAME_TOO_LONG', `An inner ${what} of ${inner.length} bytes cannot fit a SessionMessage; send less data.`);
    }
  }

  private otherSession(sid: number) {
    return protocolError('INVALID_SESSION', `The frame is for session ${sid}, not ${this.sid}.`, DeviceErrorCode.INVALID_SESSION);
  }

  /** Payload of a plain answer with `code`; a plain error frame becomes DeviceError HSM_<NAME>. */
  private expectPlain(frame: Uint8Array, code: number, what: string): Uint8Array {
    const f = decodeFrame(frame);
    const err = errorCodeOf(f);
    if (err !== undefined) {
      throw deviceRefusal(err, what === 'CreateSession' && err === DeviceErrorCode.OBJECT_NOT_FOUND
        ? `CreateSession for authentication key ${this.authKeyId}`
        : what);
    }
    if (f.code !== code) {
      throw protocolError('UNEXPECTED_RESPONSE', `Expected the ${what} answer (0x${code.toString(16)}) but got code 0x${f.code.toString(16)}; check the connector target.`);
    }
    return f.payload;
  }
}
