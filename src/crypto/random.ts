/**
 * Randomness and constant-time comparison for the secure channel (node:crypto: the OS CSPRNG and OpenSSL's
 * CRYPTO_memcmp). Session code imports these instead of node:crypto (DEVELOPING.md: only src/crypto touches it).
 */
import { randomBytes as nodeRandomBytes, timingSafeEqual } from 'node:crypto';

/** `n` bytes from the operating system's CSPRNG. */
export function randomBytes(n: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(n));
}

/**
 * True when `a` and `b` hold the same bytes. The time taken depends only on the lengths (which are public:
 * MACs, cryptograms and receipts have fixed sizes), never on where the first difference is.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** Overwrites secret bytes with zeros; skips undefined. */
export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}
