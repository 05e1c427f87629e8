/**
 * Shared pieces of the Yubico OTP commands (PROTOCOL.md 5.6): the 36-byte AEAD
 * (nonce(6) ‖ AES-CCM(key(16) ‖ private id(6)) ‖ MAC(8)) and the nonce id, which is little-endian on the wire
 * (PROTOCOL.md 10 #11: libyubihsm copies the host-order u32, python packs it little-endian in PutOtpAeadKey).
 */
import { Reader, Writer } from '../bytes.js';
import { exactly, own } from './shared.js';

export const OTP_AEAD_LENGTH = 36;
export const OTP_LENGTH = 16;

export function decodeOtpAead(payload: Uint8Array, what: string): Uint8Array {
  return own(exactly(payload, OTP_AEAD_LENGTH, what));
}

export function writeNonceIdLe(w: Writer, nonceId: number): Writer {
  return w.u8(nonceId & 0xff).u8((nonceId >>> 8) & 0xff).u8((nonceId >>> 16) & 0xff).u8((nonceId >>> 24) & 0xff);
}

export function readNonceIdLe(r: Reader): number {
  const b = r.bytesN(4, 'nonce id');
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}
