/**
 * Export RSA Wrapped (python EXPORT_WRAPPED_RSA), command 0x76, firmware 2.4+.
 * https://docs.yubico.com/hardware/yubihsm-2/hsm-2-user-guide/hsm2-cmd-reference.html#export-rsa-wrapped-command
 * In a session; same capabilities as 0x74. Request: the 0x74 layout (./rsa-wrap-fields.ts), any exportable
 * object type. Response: RSA-OAEP part (k bytes) ‖ AES-KWP(whole YubiHSM object) (PROTOCOL.md 6.4).
 */
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeRsaWrapExport, decodeRsaWrappedBlob, encodeRsaWrapExport, type RsaWrapExportRequest } from './rsa-wrap-fields.js';
import { copyBytes } from './shared.js';

export const exportRsaWrapped = defineCommand<RsaWrapExportRequest, Uint8Array>({
  code: Command.EXPORT_RSA_WRAPPED,
  name: 'Export RSA Wrapped',
  context: 'session',
  encodeRequest: encodeRsaWrapExport,
  decodeRequest: (p) => decodeRsaWrapExport(p, 'ExportRsaWrapped request'),
  encodeResponse: copyBytes,
  decodeResponse: (p) => decodeRsaWrappedBlob(p, 'ExportRsaWrapped response'),
});
