/**
 * Decrypt OTP, command 0x60.
 * https://docs.yubico.com/hardware/yubihsm-2/hsm-2-user-guide/hsm2-cmd-reference.html#decrypt-otp-command
 * In a session; capability decrypt-otp on the session and the OTP AEAD key.
 * Request (L = 54): key id(2) ‖ AEAD(36) ‖ OTP(16); an OTP of another length is WRONG_LENGTH.
 * Response (L = 6, little-endian fields): use counter(u16 LE) ‖ session counter(1) ‖ timestamp high(1) ‖
 * timestamp low(u16 LE). A bad OTP is the device's INVALID_OTP (0x0F).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { OTP_AEAD_LENGTH, OTP_LENGTH } from './otp-aead.js';
import { exactly, own } from './shared.js';

export interface DecryptOtpRequest {
  keyId: number;
  aead: Uint8Array;
  otp: Uint8Array;
}

export interface OtpData {
  useCounter: number;
  sessionCounter: number;
  timestampHigh: number;
  timestampLow: number;
}

const le16 = (r: Reader, field: string): number => {
  const b = r.bytesN(2, field);
  return b[0] | (b[1] << 8);
};

export const decryptOtp = defineCommand<DecryptOtpRequest, OtpData>({
  code: Command.DECRYPT_OTP,
  name: 'Decrypt OTP',
  context: 'session',
  encodeRequest: (q) => new Writer(54).u16(q.keyId).bytes(q.aead).bytes(q.otp).finish(),
  decodeRequest(payload) {
    const r = new Reader(exactly(payload, 2 + OTP_AEAD_LENGTH + OTP_LENGTH, 'DecryptOtp request'));
    return { keyId: r.u16('key id'), aead: own(r.bytesN(OTP_AEAD_LENGTH)), otp: own(r.bytesN(OTP_LENGTH)) };
  },
  encodeResponse: (d) =>
    Uint8Array.of(
      d.useCounter & 0xff, d.useCounter >>> 8, d.sessionCounter, d.timestampHigh, d.timestampLow & 0xff, d.timestampLow >>> 8,
    ),
  decodeResponse(payload) {
    const r = new Reader(exactly(payload, 6, 'DecryptOtp response'));
    const useCounter = le16(r, 'use counter');
    const sessionCounter = r.u8('session counter');
    const timestampHigh = r.u8('timestamp high');
    return { useCounter, sessionCounter, timestampHigh, timestampLow: le16(r, 'timestamp low') };
  },
});
