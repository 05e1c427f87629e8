/**
 * Create OTP AEAD, command 0x61.
 * https://docs.yubico.com/hardware/yubihsm-2/hsm-2-user-guide/hsm2-cmd-reference.html#create-otp-aead-command
 * In a session; capability create-otp-aead on the session and the OTP AEAD key.
 * Request (L = 24): key id(2) ‖ credential AES key(16) ‖ private id(6). Response (L = 36): the AEAD.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeOtpAead } from './otp-aead.js';
import { copyBytes, exactly, own } from './shared.js';

export interface CreateOtpAeadRequest {
  keyId: number;
  /** The credential's AES-128 key. */
  key: Uint8Array;
  /** The credential's 6-byte private id. */
  privateId: Uint8Array;
}

export const createOtpAead = defineCommand<CreateOtpAeadRequest, Uint8Array>({
  code: Command.CREATE_OTP_AEAD,
  name: 'Create OTP AEAD',
  context: 'session',
  encodeRequest: (q) => new Writer(24).u16(q.keyId).bytes(q.key).bytes(q.privateId).finish(),
  decodeRequest(payload) {
    const r = new Reader(exactly(payload, 24, 'CreateOtpAead request'));
    return { keyId: r.u16('key id'), key: own(r.bytesN(16, 'key')), privateId: own(r.bytesN(6, 'private id')) };
  },
  encodeResponse: copyBytes,
  decodeResponse: (p) => decodeOtpAead(p, 'CreateOtpAead response'),
});
