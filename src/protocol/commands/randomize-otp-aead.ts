/**
 * Randomize OTP AEAD, command 0x62. https://developers.yubico.com/YubiHSM2/Commands/Randomize_Otp_Aead.html
 * In a session; capability randomize-otp-aead on the session and the OTP AEAD key.
 * Request (L = 2): key id(2). Response (L = 36): an AEAD over a random credential key and private id.
 */
import { Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeOtpAead } from './otp-aead.js';
import { copyBytes, decodeIdRequest } from './shared.js';

export const randomizeOtpAead = defineCommand<number, Uint8Array>({
  code: Command.RANDOMIZE_OTP_AEAD,
  name: 'Randomize OTP AEAD',
  context: 'session',
  encodeRequest: (keyId) => new Writer(2).u16(keyId).finish(),
  decodeRequest: (p) => decodeIdRequest(p, 'RandomizeOtpAead request'),
  encodeResponse: copyBytes,
  decodeResponse: (p) => decodeOtpAead(p, 'RandomizeOtpAead response'),
});
