/**
 * Decrypt PKCS#1 v1.5, command 0x49. https://developers.yubico.com/YubiHSM2/Commands/Decrypt_Pkcs1.html
 * In a session; capability decrypt-pkcs on the session and the key. Request: key id(2) ‖ ciphertext (k bytes;
 * the device checks k). Response: the plaintext with the type-2 padding removed.
 */
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { copyBytes, decodeKeyAndData, encodeKeyAndData, type KeyAndData } from './shared.js';

export const decryptPkcs1 = defineCommand<KeyAndData, Uint8Array>({
  code: Command.DECRYPT_PKCS1,
  name: 'Decrypt PKCS1',
  context: 'session',
  encodeRequest: encodeKeyAndData,
  decodeRequest: (p) => decodeKeyAndData(p, 'DecryptPkcs1 request'),
  encodeResponse: copyBytes,
  decodeResponse: copyBytes,
});
