/**
 * Derive ECDH, command 0x57. https://developers.yubico.com/YubiHSM2/Commands/Derive_Ecdh.html
 * In a session; capability derive-ecdh on the session and the key. Request: key id(2) ‖ peer public point
 * (0x04 ‖ X ‖ Y, 2f + 1 bytes; the device checks it is on the key's curve, INVALID_DATA otherwise).
 * Response: the shared secret X coordinate (f bytes).
 */
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { copyBytes, decodeBytesAtLeast, decodeKeyAndData, encodeKeyAndData, type KeyAndData } from './shared.js';

export const deriveEcdh = defineCommand<KeyAndData, Uint8Array>({
  code: Command.DERIVE_ECDH,
  name: 'Derive ECDH',
  context: 'session',
  encodeRequest: encodeKeyAndData,
  decodeRequest: (p) => decodeKeyAndData(p, 'DeriveEcdh request'),
  encodeResponse: copyBytes,
  decodeResponse: (p) => decodeBytesAtLeast(p, 1, 'DeriveEcdh response'),
});
