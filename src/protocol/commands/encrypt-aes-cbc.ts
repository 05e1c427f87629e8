/**
 * Encrypt AES CBC, command 0x72. https://developers.yubico.com/YubiHSM2/Commands/Encrypt_Aes_Cbc.html
 * In a session; capability encrypt-cbc on the session and the symmetric key (firmware 2.3.1+).
 * Request: key id(2) ‖ IV(16) ‖ data (a non-zero multiple of 16 bytes, no padding). Response: the same number
 * of bytes. To continue over several requests, the next IV is the last ciphertext block.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { AES_BLOCK, checkBlocks, type AesCbcRequest } from './aes-blocks.js';
import { own } from './shared.js';

export const encryptAesCbc = defineCommand<AesCbcRequest, Uint8Array>({
  code: Command.ENCRYPT_CBC,
  name: 'Encrypt AES CBC',
  context: 'session',
  encodeRequest: (q) => new Writer(18 + q.data.length).u16(q.keyId).bytes(q.iv).bytes(q.data).finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, 'EncryptCbc request');
    const keyId = r.u16('key id');
    const iv = own(r.bytesN(AES_BLOCK, 'IV'));
    return { keyId, iv, data: checkBlocks(r.rest(), 'EncryptCbc request') };
  },
  encodeResponse: (d) => own(d),
  decodeResponse: (p) => checkBlocks(p, 'EncryptCbc response'),
});
