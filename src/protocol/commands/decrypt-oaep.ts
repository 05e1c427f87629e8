/**
 * Decrypt OAEP, command 0x59. https://developers.yubico.com/YubiHSM2/Commands/Decrypt_Oaep.html
 * In a session; capability decrypt-oaep on the session and the key.
 * Request: key id(2) ‖ MGF1 algorithm(1: 32-35) ‖ ciphertext (k = 256/384/512) ‖ lHash (20/32/48/64).
 * Neither length is sent: the OAEP hash is implied by the lHash length. The 12 sums k + |lHash| are all
 * different (276 ... 576), so the split is read from the total; any other length is WRONG_LENGTH.
 * Response: the plaintext.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { copyBytes, HASH_LENGTHS, wrongLength, own } from './shared.js';

export interface DecryptOaepRequest {
  keyId: number;
  mgf1Algorithm: number;
  ciphertext: Uint8Array;
  /** Hash of the OAEP label (the label itself is never sent). */
  lHash: Uint8Array;
}

const MODULUS_LENGTHS = [256, 384, 512];

export function splitOaepBody(length: number): { k: number; h: number } | undefined {
  for (const k of MODULUS_LENGTHS) for (const h of HASH_LENGTHS) if (k + h === length) return { k, h };
  return undefined;
}

export const decryptOaep = defineCommand<DecryptOaepRequest, Uint8Array>({
  code: Command.DECRYPT_OAEP,
  name: 'Decrypt OAEP',
  context: 'session',
  encodeRequest: (q) =>
    new Writer(3 + q.ciphertext.length + q.lHash.length)
      .u16(q.keyId).u8(q.mgf1Algorithm).bytes(q.ciphertext).bytes(q.lHash)
      .finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, 'DecryptOaep request');
    const keyId = r.u16('key id');
    const mgf1Algorithm = r.u8('MGF1 algorithm');
    const split = splitOaepBody(r.remaining);
    if (!split) {
      throw wrongLength(
        'BAD_OAEP_LENGTH',
        `DecryptOaep ciphertext ‖ lHash is ${r.remaining} bytes; it must be 256/384/512 ciphertext bytes plus a 20/32/48/64-byte lHash.`,
      );
    }
    return { keyId, mgf1Algorithm, ciphertext: own(r.bytesN(split.k)), lHash: own(r.bytesN(split.h)) };
  },
  encodeResponse: copyBytes,
  decodeResponse: copyBytes,
});
