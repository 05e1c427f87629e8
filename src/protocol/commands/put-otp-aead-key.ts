/**
 * Put OTP AEAD Key, command 0x65. https://developers.yubico.com/YubiHSM2/Commands/Put_Otp_Aead_Key.html
 * In a session; session capability put-otp-aead-key.
 * Request: NEW(53: id, label, domains, capabilities, algorithm 37/39/40) ‖ nonce id(u32 little-endian) ‖ key
 * (16/24/32 bytes; kept raw, the device checks the size). Response: id(2).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNew, type DecodedNewObject, type NewObject } from '../new-object.js';
import { readNonceIdLe, writeNonceIdLe } from './otp-aead.js';
import { decodeId, encodeId, restAtLeast, readNewBlock } from './shared.js';

export interface PutOtpAeadKeyRequest extends NewObject {
  nonceId: number;
  key: Uint8Array;
}

const WHAT = 'PutOtpAeadKey request';

export const putOtpAeadKey = defineCommand<PutOtpAeadKeyRequest, number>({
  code: Command.PUT_OTP_AEAD_KEY,
  name: 'Put OTP AEAD Key',
  context: 'session',
  encodeRequest: (q) => writeNonceIdLe(writeNew(new Writer(57 + q.key.length), q), q.nonceId).bytes(q.key).finish(),
  decodeRequest(payload): DecodedNewObject & PutOtpAeadKeyRequest {
    const r = new Reader(payload, WHAT);
    const o = readNewBlock(r);
    const nonceId = readNonceIdLe(r);
    return { ...o, nonceId, key: restAtLeast(r, 1, 'key', WHAT) };
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
