/**
 * Rewrap OTP AEAD, command 0x63. https://developers.yubico.com/YubiHSM2/Commands/Rewrap_Otp_Aead.html
 * In a session; rewrap-from-otp-aead-key on the session and the source key, rewrap-to-otp-aead-key on the
 * session and the destination key. Request (L = 40): from id(2) ‖ to id(2) ‖ AEAD(36). Response (L = 36): AEAD.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeOtpAead, OTP_AEAD_LENGTH } from './otp-aead.js';
import { copyBytes, exactly, own } from './shared.js';

export interface RewrapOtpAeadRequest {
  fromKeyId: number;
  toKeyId: number;
  aead: Uint8Array;
}

export const rewrapOtpAead = defineCommand<RewrapOtpAeadRequest, Uint8Array>({
  code: Command.REWRAP_OTP_AEAD,
  name: 'Rewrap OTP AEAD',
  context: 'session',
  encodeRequest: (q) => new Writer(40).u16(q.fromKeyId).u16(q.toKeyId).bytes(q.aead).finish(),
  decodeRequest(payload) {
    const r = new Reader(exactly(payload, 4 + OTP_AEAD_LENGTH, 'RewrapOtpAead request'));
    return { fromKeyId: r.u16('from key id'), toKeyId: r.u16('to key id'), aead: own(r.bytesN(OTP_AEAD_LENGTH)) };
  },
  encodeResponse: copyBytes,
  decodeResponse: (p) => decodeOtpAead(p, 'RewrapOtpAead response'),
});
