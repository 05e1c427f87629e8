/**
 * Frames (PROTOCOL.md 1.1): `code(1) ‖ length(u16 BE) ‖ payload`. Error responses are `7F 00 01 <code>`.
 * Pure codecs; bad bytes give a ProtocolError.
 */
import { ProtocolError } from '../errors.js';
import { Command } from './command-codes.js';

/** Buffer size for firmware >= 2.4 (YH_MSG_BUF_SIZE): the largest whole frame a device accepts. */
export const MAX_FRAME_FW24 = 3136;
/** Buffer size before firmware 2.4. */
export const MAX_FRAME_LEGACY = 2048;
/** What a client sends at most: python-yubihsm's limit of buffer - 1 (PROTOCOL.md 10 #1). */
export const CLIENT_MAX_FRAME_FW24 = MAX_FRAME_FW24 - 1;
export const CLIENT_MAX_FRAME_LEGACY = MAX_FRAME_LEGACY - 1;

export interface Frame {
  code: number;
  payload: Uint8Array;
}

export function encodeFrame(code: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (payload.length > 0xffff) {
    throw new ProtocolError('FRAME_TOO_LONG', `Payload of ${payload.length} bytes does not fit a frame (max 65535).`, 0x08);
  }
  const out = new Uint8Array(3 + payload.length);
  out[0] = code;
  out[1] = payload.length >>> 8;
  out[2] = payload.length & 0xff;
  out.set(payload, 3);
  return out;
}

/** Decodes one whole frame; the length field must match the bytes received exactly. */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (bytes.length < 3) {
    throw new ProtocolError('SHORT_FRAME', `A frame needs at least 3 bytes, got ${bytes.length}.`, 0x08);
  }
  const len = (bytes[1] << 8) | bytes[2];
  if (len !== bytes.length - 3) {
    throw new ProtocolError(
      'FRAME_LENGTH_MISMATCH',
      `Frame length field says ${len} payload bytes but ${bytes.length - 3} arrived.`,
      0x08,
    );
  }
  return { code: bytes[0], payload: bytes.subarray(3) };
}

export function errorFrame(deviceCode: number): Uint8Array {
  return Uint8Array.of(Command.ERROR, 0x00, 0x01, deviceCode & 0xff);
}

/** Returns the device error code if this is an error frame `7F 00 01 xx`, else undefined. */
export function errorCodeOf(frame: Frame): number | undefined {
  if (frame.code !== Command.ERROR) return undefined;
  if (frame.payload.length !== 1) {
    throw new ProtocolError('BAD_ERROR_FRAME', `An error frame must carry exactly 1 byte, got ${frame.payload.length}.`);
  }
  return frame.payload[0];
}
