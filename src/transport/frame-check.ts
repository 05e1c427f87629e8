/**
 * The only frame knowledge a transport has: the 3-byte header `code(1) ‖ length(u16 BE)` (PROTOCOL.md 1.1).
 * Requests are checked before they leave (a mis-built frame is the caller's bug: UsageError); answers are checked
 * to be exactly one whole frame, as libyubihsm's backends do (TransportError).
 */
import { TransportError, UsageError } from '../errors.js';
import { MAX_FRAME_FW24 } from '../protocol/frame.js';
import { TransportErrorCode } from './errors.js';

/** Largest HTTP body yubihsm-connector >= 3.0.5 forwards: the 3136-byte device buffer plus 3 (PROTOCOL.md 2.1). */
export const CONNECTOR_MAX_BODY = MAX_FRAME_FW24 + 3;
/** Smallest body the connector forwards: a bare header. */
export const CONNECTOR_MIN_BODY = 3;
/** Largest frame a 16-bit length field can describe. */
export const MAX_ENCODABLE_FRAME = 0xffff + 3;

export function checkRequestFrame(frame: Uint8Array): void {
  if (!(frame instanceof Uint8Array)) {
    throw new UsageError('TRANSPORT_BAD_FRAME', 'send() takes a Uint8Array holding one whole command frame.');
  }
  if (frame.length < 3) {
    throw new UsageError(
      'TRANSPORT_BAD_FRAME',
      `A command frame needs at least its 3-byte header, got ${frame.length} bytes; build frames with encodeFrame().`,
    );
  }
  const len = (frame[1] << 8) | frame[2];
  if (len !== frame.length - 3) {
    throw new UsageError(
      'TRANSPORT_BAD_FRAME',
      `The command frame's length field says ${len} payload bytes but it carries ${frame.length - 3}; build frames with encodeFrame().`,
    );
  }
}

export function checkResponseFrame(frame: Uint8Array, description: string): void {
  if (frame.length < 3) {
    throw new TransportError(
      TransportErrorCode.TRANSPORT_BAD_RESPONSE_FRAME,
      `${description} answered ${frame.length} bytes, less than a frame header; check that it is a YubiHSM 2 (or a faithful simulator), then retry.`,
    );
  }
  const len = (frame[1] << 8) | frame[2];
  if (len !== frame.length - 3) {
    throw new TransportError(
      TransportErrorCode.TRANSPORT_BAD_RESPONSE_FRAME,
      `${description} answered a frame whose length field says ${len} payload bytes but ${frame.length - 3} arrived; reopen the session and retry.`,
    );
  }
}
