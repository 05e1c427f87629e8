/** AES ECB/CBC data (PROTOCOL.md 5.6): whole 16-byte blocks, at least one, no padding. */
import { wrongLength, own } from './shared.js';

export const AES_BLOCK = 16;

export interface AesCbcRequest {
  keyId: number;
  iv: Uint8Array;
  data: Uint8Array;
}

export function checkBlocks(data: Uint8Array, what: string): Uint8Array {
  if (data.length === 0 || data.length % AES_BLOCK !== 0) {
    throw wrongLength('BAD_AES_BLOCKS', `${what}: data is ${data.length} bytes; send whole 16-byte blocks (pad it first).`);
  }
  return own(data);
}
