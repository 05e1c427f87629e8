/**
 * Get RSA Wrapped Key ("export RSA wrapped key"; python WRAP_KEY_RSA), command 0x74, firmware 2.4+.
 * https://docs.yubico.com/hardware/yubihsm-2/hsm-2-user-guide/hsm2-cmd-reference.html#export-rsa-wrapped-key-command
 * In a session; export-wrapped on the session and the public wrap key (type 9); the key needs
 * exportable-under-wrap. Request (./rsa-wrap-fields.ts): wrap id(2) ‖ type(1: 3 or 8) ‖ id(2) ‖ AES(1) ‖
 * OAEP(1) ‖ MGF1(1) ‖ lHash, L = 8 + |lHash| (40 for SHA-256).
 * Response: RSA-OAEP(ephemeral AES key) (k bytes) ‖ AES-KWP(PKCS#8 or raw AES key) (PROTOCOL.md 6).
 */
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeRsaWrapExport, decodeRsaWrappedBlob, encodeRsaWrapExport, type RsaWrapExportRequest } from './rsa-wrap-fields.js';
import { copyBytes } from './shared.js';

export const getRsaWrappedKey = defineCommand<RsaWrapExportRequest, Uint8Array>({
  code: Command.GET_RSA_WRAPPED_KEY,
  name: 'Get RSA Wrapped Key',
  context: 'session',
  encodeRequest: encodeRsaWrapExport,
  decodeRequest: (p) => decodeRsaWrapExport(p, 'GetRsaWrappedKey request'),
  encodeResponse: copyBytes,
  decodeResponse: (p) => decodeRsaWrappedBlob(p, 'GetRsaWrappedKey response'),
});
