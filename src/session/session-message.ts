/**
 * SessionMessage 0x05, the per-command algorithm of PROTOCOL.md 3.5, for both directions:
 *   command:  05 ‖ u16(1+|E|+8) ‖ sid ‖ E ‖ C-MAC,  E = AES-CBC(S-ENC, IV, pad(inner)), IV = AES-ECB(S-ENC, ctr),
 *             full = AES-CMAC(S-MAC, chain ‖ 05 ‖ len ‖ sid ‖ E), C-MAC = full[0:8], chain := full
 *   response: 85 ‖ u16(1+|R|+8) ‖ sid ‖ R ‖ R-MAC,  R = AES-CBC(S-ENC, same IV, pad(inner response)),
 *             R-MAC = AES-CMAC(S-RMAC, chain ‖ 85 ‖ len ‖ sid ‖ R)[0:8] (never enters the chain), then ctr += 1
 * `MessageState` holds one session's keys, chain and counter; it does the byte work and throws on bad input.
 * Deciding what a failure means for the session is SecureChannel's job. Internal to src/session/.
 */
import { aesCbcDecrypt, aesCbcEncrypt, padIso9797M2, unpadIso9797M2 } from '../crypto/aes.js';
import { aesCmac } from '../crypto/cmac.js';
import { constantTimeEqual, wipe } from '../crypto/random.js';
import {
  counterBlock, encryptWithCounterIv, incrementCounter, messageIv, wipeSessionKeys, type SessionKeys,
} from '../crypto/scp03.js';
import { Command, responseCode } from '../protocol/command-codes.js';
import { DeviceErrorCode } from '../protocol/device-errors.js';
import { protocolError, SessionAuthenticationError } from './errors.js';

export const SESSION_MESSAGE = Command.SESSION_MESSAGE;
export const SESSION_RESPONSE = responseCode(Command.SESSION_MESSAGE);
export const MAC_LENGTH = 8;

/** Whole outer frame length for an inner frame of `innerLength` bytes: 3 + 1 + padded + 8. */
export function sessionFrameLength(innerLength: number): number {
  return 3 + 1 + ((innerLength + 16) & ~15) + MAC_LENGTH;
}

/** The longest inner frame whose SessionMessage fits in `maxFrame` bytes (3119 for 3135 or 3136, 2031 for 2047). */
export function maxInnerLength(maxFrame: number): number {
  return ((maxFrame - 3 - 1 - MAC_LENGTH) & ~15) - 1;
}

/** Checks that `frame` is `code(1) ‖ u16 len ‖ len bytes`; returns len. */
export function innerFrameLength(frame: Uint8Array): number {
  return frame.length >= 3 && ((frame[1] << 8) | frame[2]) === frame.length - 3 ? frame.length - 3 : -1;
}

export class MessageState {
  private chain: Uint8Array;
  private readonly ctr: Uint8Array;
  /** IV of the exchange in progress (set by sealCommand/openCommand, used by the response). */
  private iv: Uint8Array | undefined;

  constructor(
    readonly sessionId: number,
    private readonly keys: SessionKeys,
    initialChain: Uint8Array,
  ) {
    this.chain = initialChain.slice();
    this.ctr = counterBlock(1n);
  }

  get counter(): bigint {
    return BigInt('0x' + Buffer.from(this.ctr).toString('hex'));
  }

  get macChain(): Uint8Array {
    return this.chain.slice();
  }

  /** Host: encrypts and MACs an inner command frame; the chain moves to this message's full C-MAC. */
  sealCommand(inner: Uint8Array): Uint8Array {
    const padded = padIso9797M2(inner);
    const { iv, ciphertext: e } = encryptWithCounterIv(this.keys.encKey, this.ctr, padded);
    padded.fill(0);
    const out = this.frame(SESSION_MESSAGE, e);
    const full = aesCmac(this.keys.macKey, this.chain, out.subarray(0, 4 + e.length));
    out.set(full.subarray(0, MAC_LENGTH), 4 + e.length);
    this.chain.fill(0);
    this.chain = full;
    this.iv = iv;
    return out;
  }

  /** Host: verifies and decrypts the device's 0x85 answer to the last sealCommand; returns the inner frame. */
  openResponse(frame: Uint8Array): Uint8Array {
    const body = this.outerBody(frame, 'response');
    const expected = aesCmac(this.keys.rmacKey, this.chain, frame.subarray(0, frame.length - MAC_LENGTH));
    if (!constantTimeEqual(expected.subarray(0, MAC_LENGTH), frame.subarray(frame.length - MAC_LENGTH))) {
      throw new SessionAuthenticationError(
        'RESPONSE_MAC_MISMATCH',
        'The device response failed its MAC check (damaged or forged reply); the session is closed, open a new one.',
      );
    }
    const inner = this.decrypt(body, 'response');
    incrementCounter(this.ctr);
    return inner;
  }

  /** Device: verifies the C-MAC against the chain (which then moves on), decrypts; returns the inner command. */
  openCommand(frame: Uint8Array): Uint8Array {
    const body = this.outerBody(frame, 'command');
    const full = aesCmac(this.keys.macKey, this.chain, frame.subarray(0, frame.length - MAC_LENGTH));
    if (!constantTimeEqual(full.subarray(0, MAC_LENGTH), frame.subarray(frame.length - MAC_LENGTH))) {
      full.fill(0);
      throw new SessionAuthenticationError(
        'COMMAND_MAC_MISMATCH',
        'The session message failed its C-MAC check (wrong keys, damaged, replayed or out of order); the session is closed.',
      );
    }
    this.chain.fill(0);
    this.chain = full;
    this.iv = messageIv(this.keys.encKey, this.ctr);
    return this.decrypt(body, 'command');
  }

  /** Device: encrypts and R-MACs the inner response to the last openCommand; the counter moves on. */
  sealResponse(inner: Uint8Array): Uint8Array {
    const padded = padIso9797M2(inner);
    const r = aesCbcEncrypt(this.keys.encKey, this.pendingIv(), padded);
    padded.fill(0);
    const out = this.frame(SESSION_RESPONSE, r);
    const rmac = aesCmac(this.keys.rmacKey, this.chain, out.subarray(0, 4 + r.length));
    out.set(rmac.subarray(0, MAC_LENGTH), 4 + r.length);
    this.iv = undefined;
    incrementCounter(this.ctr);
    return out;
  }

  wipe(): void {
    wipeSessionKeys(this.keys);
    wipe(this.chain, this.ctr, this.iv);
    this.iv = undefined;
  }

  private frame(code: number, body: Uint8Array): Uint8Array {
    const len = 1 + body.length + MAC_LENGTH;
    const out = new Uint8Array(3 + len);
    out[0] = code;
    out[1] = len >>> 8;
    out[2] = len & 0xff;
    out[3] = this.sessionId;
    out.set(body, 4);
    return out;
  }

  /** Checks the outer length and the sid; returns the encrypted body (whole blocks, at least one). */
  private outerBody(frame: Uint8Array, what: 'command' | 'response'): Uint8Array {
    const len = frame.length >= 3 ? (frame[1] << 8) | frame[2] : -1;
    if (len !== frame.length - 3) {
      throw protocolError('FRAME_LENGTH_MISMATCH', `The session ${what} length field says ${len} bytes but ${frame.length - 3} arrived.`, DeviceErrorCode.WRONG_LENGTH);
    }
    const bodyLength = len - 1 - MAC_LENGTH;
    if (bodyLength < 16 || bodyLength % 16 !== 0) {
      throw protocolError(
        'BAD_SESSION_MESSAGE_LENGTH',
        `A session ${what} must carry a non-empty multiple of 16 encrypted bytes, got ${Math.max(bodyLength, 0)}.`,
        DeviceErrorCode.WRONG_LENGTH,
      );
    }
    if (frame[3] !== this.sessionId) {
      throw protocolError(
        'SESSION_ID_MISMATCH',
        `The session ${what} is for session ${frame[3]}, not ${this.sessionId}.`,
        DeviceErrorCode.INVALID_SESSION,
      );
    }
    return frame.subarray(4, 4 + bodyLength);
  }

  private pendingIv(): Uint8Array {
    if (this.iv === undefined) throw new Error('MessageState: no exchange in progress (internal ordering bug).');
    return this.iv;
  }

  private decrypt(body: Uint8Array, what: 'command' | 'response'): Uint8Array {
    const padded = aesCbcDecrypt(this.keys.encKey, this.pendingIv(), body);
    try {
      const inner = unpadIso9797M2(padded);
      if (innerFrameLength(inner) < 0) {
        throw protocolError(
          'INNER_LENGTH_MISMATCH',
          `The decrypted session ${what} is not one whole frame (length field disagrees with the ${inner.length} bytes received).`,
          DeviceErrorCode.WRONG_LENGTH,
        );
      }
      return inner.slice();
    } finally {
      padded.fill(0);
    }
  }
}
