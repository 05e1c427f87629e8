/**
 * Wrap Data, command 0x68. https://developers.yubico.com/YubiHSM2/Commands/Wrap_Data.html
 * In a session; wrap-data on the session and the AES wrap key. Request: wrap key id(2) ‖ data (≥ 1 byte).
 * Response: nonce(13) ‖ AES-CCM(0x00 ‖ data) ‖ tag(16) (the device prepends one 0x00 byte before encrypting).
 */
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeCcmWrapped } from './ccm-wrapped.js';
import { copyBytes, decodeKeyAndData, encodeKeyAndData, type KeyAndData } from './shared.js';

export const wrapData = defineCommand<KeyAndData, Uint8Array>({
  code: Command.WRAP_DATA,
  name: 'Wrap Data',
  context: 'session',
  encodeRequest: encodeKeyAndData,
  decodeRequest: (p) => decodeKeyAndData(p, 'WrapData request'),
  encodeResponse: copyBytes,
  decodeResponse: (p) => decodeCcmWrapped(p, 'WrapData response'),
});
