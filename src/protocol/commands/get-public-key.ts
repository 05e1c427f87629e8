/**
 * Get Public Key, command 0x54. https://developers.yubico.com/YubiHSM2/Commands/Get_Public_Key.html
 * In a session; no capability. Request: id(2) (asymmetric key), or id(2) ‖ type(1) (firmware 2.4+: type 3, 4 or 9).
 * Response: algorithm(1) ‖ public key — RSA n (k bytes), EC X ‖ Y (2f bytes, no 0x04), Ed25519 32 bytes.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { restAtLeast, wrongLength } from './shared.js';

export interface GetPublicKeyRequest {
  keyId: number;
  /** Omitted: the 2-byte form (asymmetric key). */
  type?: number;
}

export interface PublicKey {
  algorithm: number;
  publicKey: Uint8Array;
}

export const getPublicKey = defineCommand<GetPublicKeyRequest, PublicKey>({
  code: Command.GET_PUBLIC_KEY,
  name: 'Get Public Key',
  context: 'session',
  encodeRequest(q) {
    const w = new Writer(3).u16(q.keyId);
    if (q.type !== undefined) w.u8(q.type);
    return w.finish();
  },
  decodeRequest(payload) {
    const r = new Reader(payload, 'GetPublicKey request');
    if (payload.length === 2) return { keyId: r.u16() };
    if (payload.length === 3) return { keyId: r.u16(), type: r.u8() };
    throw wrongLength(
      'BAD_GET_PUBLIC_KEY_LENGTH',
      `GetPublicKey request must be 2 or 3 bytes (id, optional type), got ${payload.length}.`,
    );
  },
  encodeResponse: (k) => new Writer(1 + k.publicKey.length).u8(k.algorithm).bytes(k.publicKey).finish(),
  decodeResponse(payload) {
    const r = new Reader(payload, 'GetPublicKey response');
    const algorithm = r.u8('algorithm');
    return { algorithm, publicKey: restAtLeast(r, 1, 'public key', 'GetPublicKey response') };
  },
});
