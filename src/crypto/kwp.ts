/**
 * AES Key Wrap with Padding, RFC 5649 / NIST SP 800-38F KWP, through OpenSSL's `id-aesN-wrap-pad`
 * ciphers in node:crypto. The alternative IV prefix is A6 59 59 A6; OpenSSL appends the 32-bit length itself
 * and checks the AIV, the MLI bound and the zero padding on unwrap.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { takeBytes } from './owned-bytes.js';

const AIV = Buffer.from('a65959a6', 'hex');

function cipherName(kek: Uint8Array): string {
  switch (kek.length) {
    case 16: return 'id-aes128-wrap-pad';
    case 24: return 'id-aes192-wrap-pad';
    case 32: return 'id-aes256-wrap-pad';
    default: throw new RangeError(`KWP needs a 16, 24 or 32-byte AES key, got ${kek.length} bytes.`);
  }
}

/** Wraps `plaintext` (1 byte or more) under `kek`; output is 8 * (ceil(len / 8) + 1) bytes. */
export function kwpWrap(kek: Uint8Array, plaintext: Uint8Array): Uint8Array {
  if (plaintext.length < 1) throw new RangeError('KWP cannot wrap an empty plaintext.');
  const c = createCipheriv(cipherName(kek), kek, AIV);
  return takeBytes(c.update(plaintext), c.final());
}

/** Unwraps; returns undefined when the integrity check fails (wrong key, tampered data, bad padding). */
export function kwpUnwrap(kek: Uint8Array, wrapped: Uint8Array): Uint8Array | undefined {
  if (wrapped.length < 16 || wrapped.length % 8 !== 0) return undefined;
  try {
    const d = createDecipheriv(cipherName(kek), kek, AIV);
    const head = d.update(wrapped);
    let tail: Buffer;
    try {
      tail = d.final();
    } catch (e) {
      head.fill(0);
      throw e;
    }
    return takeBytes(head, tail);
  } catch {
    return undefined;
  }
}
