/**
 * Generate OTP AEAD Key, command 0x66. https://developers.yubico.com/YubiHSM2/Commands/Generate_Otp_Aead_Key.html
 * In a session; session capability generate-otp-aead-key.
 * Request (L = 57): NEW(53: id, label, domains, capabilities, algorithm 37/39/40) ‖ nonce id(u32 little-endian;
 * python-yubihsm sends big-endian here, see PROTOCOL.md 10 #11). Response: id(2).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNew, type DecodedNewObject, type NewObject } from '../new-object.js';
import { readNonceIdLe, writeNonceIdLe } from './otp-aead.js';
import { decodeId, encodeId, readNewBlock } from './shared.js';

export interface GenerateOtpAeadKeyRequest extends NewObject {
  nonceId: number;
}

export const generateOtpAeadKey = defineCommand<GenerateOtpAeadKeyRequest, number>({
  code: Command.GENERATE_OTP_AEAD_KEY,
  name: 'Generate OTP AEAD Key',
  context: 'session',
  encodeRequest: (q) => writeNonceIdLe(writeNew(new Writer(57), q), q.nonceId).finish(),
  decodeRequest(payload): DecodedNewObject & GenerateOtpAeadKeyRequest {
    const r = new Reader(payload, 'GenerateOtpAeadKey request');
    const o = readNewBlock(r);
    const nonceId = readNonceIdLe(r);
    r.end();
    return { ...o, nonceId };
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
