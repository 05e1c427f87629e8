/**
 * Sign PSS, command 0x55. https://developers.yubico.com/YubiHSM2/Commands/Sign_Pss.html
 * In a session; capability sign-pss on the session and the key.
 * Request: key id(2) ‖ MGF1 algorithm(1: 32-35) ‖ salt length(u16) ‖ digest (20/32/48/64 bytes; the PSS hash is
 * implied by the digest length, so any other length is WRONG_LENGTH). Response: signature (k bytes).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { copyBytes, decodeBytesAtLeast, HASH_LENGTHS, wrongLength, own } from './shared.js';

export interface SignPssRequest {
  keyId: number;
  mgf1Algorithm: number;
  saltLength: number;
  digest: Uint8Array;
}

export const signPss = defineCommand<SignPssRequest, Uint8Array>({
  code: Command.SIGN_PSS,
  name: 'Sign PSS',
  context: 'session',
  encodeRequest: (q) =>
    new Writer(5 + q.digest.length).u16(q.keyId).u8(q.mgf1Algorithm).u16(q.saltLength).bytes(q.digest).finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, 'SignPss request');
    const keyId = r.u16('key id');
    const mgf1Algorithm = r.u8('MGF1 algorithm');
    const saltLength = r.u16('salt length');
    const digest = own(r.rest());
    if (!HASH_LENGTHS.includes(digest.length)) {
      throw wrongLength(
        'BAD_DIGEST_LENGTH',
        `SignPss digest must be 20, 32, 48 or 64 bytes (SHA-1/256/384/512), got ${digest.length}.`,
      );
    }
    return { keyId, mgf1Algorithm, saltLength, digest };
  },
  encodeResponse: copyBytes,
  decodeResponse: (p) => decodeBytesAtLeast(p, 1, 'SignPss response'),
});
