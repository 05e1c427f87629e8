/**
 * Sign HMAC, command 0x53. https://developers.yubico.com/YubiHSM2/Commands/Sign_Hmac.html
 * In a session; capability sign-hmac on the session and the key. Request: key id(2) ‖ data (at least 1 byte).
 * Response: the MAC, 20/32/48/64 bytes for hmac-sha1/256/384/512.
 */
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { copyBytes, decodeKeyAndData, encodeKeyAndData, HASH_LENGTHS, wrongLength, type KeyAndData, own } from './shared.js';

export const signHmac = defineCommand<KeyAndData, Uint8Array>({
  code: Command.SIGN_HMAC,
  name: 'Sign HMAC',
  context: 'session',
  encodeRequest: encodeKeyAndData,
  decodeRequest: (p) => decodeKeyAndData(p, 'SignHmac request'),
  encodeResponse: copyBytes,
  decodeResponse(payload) {
    if (!HASH_LENGTHS.includes(payload.length)) {
      throw wrongLength('BAD_MAC_LENGTH', `SignHmac response is ${payload.length} bytes; a MAC is 20, 32, 48 or 64 bytes.`);
    }
    return own(payload);
  },
});
