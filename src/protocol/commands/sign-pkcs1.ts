/**
 * Sign PKCS#1 v1.5, command 0x47. https://developers.yubico.com/YubiHSM2/Commands/Sign_Pkcs1.html
 * In a session; capability sign-pkcs on the session and the key. Request: key id(2) ‖ D, where D is a bare
 * digest (20/32/48/64 bytes; the device adds the DigestInfo) or DigestInfo ‖ digest. Response: signature (k bytes).
 * D is kept raw; the device checks it against the key.
 */
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { copyBytes, decodeBytesAtLeast, decodeKeyAndData, encodeKeyAndData, type KeyAndData } from './shared.js';

export const signPkcs1 = defineCommand<KeyAndData, Uint8Array>({
  code: Command.SIGN_PKCS1,
  name: 'Sign PKCS1',
  context: 'session',
  encodeRequest: encodeKeyAndData,
  decodeRequest: (p) => decodeKeyAndData(p, 'SignPkcs1 request'),
  encodeResponse: copyBytes,
  decodeResponse: (p) => decodeBytesAtLeast(p, 1, 'SignPkcs1 response'),
});
