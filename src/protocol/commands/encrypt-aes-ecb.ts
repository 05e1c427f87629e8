/**
 * Encrypt AES ECB, command 0x70. https://developers.yubico.com/YubiHSM2/Commands/Encrypt_Aes_Ecb.html
 * In a session; capability encrypt-ecb on the session and the symmetric key (firmware 2.3.1+).
 * Request: key id(2) ‖ data (a non-zero multiple of 16 bytes). Response: the same number of bytes.
 */
import { Reader } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { checkBlocks } from './aes-blocks.js';
import { encodeKeyAndData, type KeyAndData, own } from './shared.js';

export const encryptAesEcb = defineCommand<KeyAndData, Uint8Array>({
  code: Command.ENCRYPT_ECB,
  name: 'Encrypt AES ECB',
  context: 'session',
  encodeRequest: encodeKeyAndData,
  decodeRequest(payload) {
    const r = new Reader(payload, 'EncryptEcb request');
    const keyId = r.u16('key id');
    return { keyId, data: checkBlocks(r.rest(), 'EncryptEcb request') };
  },
  encodeResponse: (d) => own(d),
  decodeResponse: (p) => checkBlocks(p, 'EncryptEcb response'),
});
