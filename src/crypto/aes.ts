/**
 * AES-ECB and AES-CBC without padding (OpenSSL through node:crypto), and ISO/IEC 9797-1 padding method 2
 * (append 0x80, then zeros up to the block size; always adds 1..16 bytes), as the secure channel uses them
 * (PROTOCOL.md 3.5: IV = AES-ECB(S-ENC, counter), body = AES-CBC(S-ENC, IV, padded frame)).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { ProtocolError, UsageError } from '../errors.js';
import { takeBytes } from './owned-bytes.js';

export const AES_BLOCK = 16;

function mode(key: Uint8Array, m: 'ecb' | 'cbc'): string {
  switch (key?.length) {
    case 16: return `aes-128-${m}`;
    case 24: return `aes-192-${m}`;
    case 32: return `aes-256-${m}`;
    default:
      throw new UsageError('BAD_KEY_LENGTH', `AES needs a 16, 24 or 32-byte key, got ${key?.length ?? typeof key} bytes.`);
  }
}

function checkBlocks(data: Uint8Array, what: string): void {
  if (data.length % AES_BLOCK !== 0) {
    throw new UsageError('NOT_BLOCK_ALIGNED', `${what} must be a multiple of 16 bytes, got ${data.length}; pad it first.`);
  }
}

function checkIv(iv: Uint8Array): void {
  if (iv?.length !== AES_BLOCK) throw new UsageError('BAD_IV_LENGTH', `AES-CBC needs a 16-byte IV, got ${iv?.length} bytes.`);
}

/** AES-ECB encryption of whole blocks (no padding). */
export function aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBlocks(data, 'AES-ECB input');
  const c = createCipheriv(mode(key, 'ecb'), key, null).setAutoPadding(false);
  return new Uint8Array(c.update(data));
}

/** AES-ECB decryption of whole blocks (no padding). */
export function aesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBlocks(data, 'AES-ECB input');
  const d = createDecipheriv(mode(key, 'ecb'), key, null).setAutoPadding(false);
  return takeBytes(d.update(data));
}

/** AES-CBC encryption of whole blocks (no padding). */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkBlocks(plaintext, 'AES-CBC plaintext');
  checkIv(iv);
  const c = createCipheriv(mode(key, 'cbc'), key, iv).setAutoPadding(false);
  return new Uint8Array(c.update(plaintext));
}

/** AES-CBC decryption of whole blocks (no padding is removed). */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  checkBlocks(ciphertext, 'AES-CBC ciphertext');
  checkIv(iv);
  const d = createDecipheriv(mode(key, 'cbc'), key, iv).setAutoPadding(false);
  return takeBytes(d.update(ciphertext));
}

/** `data ‖ 0x80 ‖ 0x00…` up to the next multiple of 16 (a 16-byte input becomes 32 bytes). */
export function padIso9797M2(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((data.length + AES_BLOCK) & ~(AES_BLOCK - 1));
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/**
 * Removes ISO/IEC 9797-1 method 2 padding: the input must be whole blocks ending in `0x80 0x00…` with 1..16
 * padding bytes. Returns a view into `padded`. Bad padding is a ProtocolError (`BAD_PADDING`, INVALID_DATA).
 */
export function unpadIso9797M2(padded: Uint8Array): Uint8Array {
  if (padded.length === 0 || padded.length % AES_BLOCK !== 0) {
    throw new ProtocolError('BAD_PADDING', `Padded data must be a non-empty multiple of 16 bytes, got ${padded.length}.`);
  }
  const stop = padded.length - AES_BLOCK;
  for (let i = padded.length - 1; i >= stop; i--) {
    const b = padded[i];
    if (b === 0x80) return padded.subarray(0, i);
    if (b !== 0x00) break;
  }
  throw new ProtocolError('BAD_PADDING', 'The decrypted data does not end in 0x80 0x00… padding; the peer used other keys or sent damaged data.');
}
