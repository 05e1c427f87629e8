/**
 * AES-CMAC (NIST SP 800-38B, RFC 4493) through @noble/ciphers. The secure channel MACs a chain value followed
 * by frame bytes, so the message is given in parts and fed to one incremental CMAC without concatenating.
 * @noble/ciphers 2.4 offers no way to keep an expanded key across messages (`cmac.create(key)` expands it each
 * time); that costs about 1.3 µs per MAC (bench/session-message.ts measures the whole per-message cost).
 */
import { cmac } from '@noble/ciphers/aes.js';
import { UsageError } from '../errors.js';

export const CMAC_LENGTH = 16;

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || (key.length !== 16 && key.length !== 24 && key.length !== 32)) {
    const got = key instanceof Uint8Array ? `${key.length} bytes` : typeof key;
    throw new UsageError('BAD_KEY_LENGTH', `AES-CMAC needs a 16, 24 or 32-byte key, got ${got}.`);
  }
}

/** The full 16-byte AES-CMAC of `parts` concatenated, under `key`. */
export function aesCmac(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  checkKey(key);
  const mac = cmac.create(key);
  for (const p of parts) mac.update(p);
  return new Uint8Array(mac.digest());
}
