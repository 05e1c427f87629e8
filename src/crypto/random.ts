/**
 * Randomness and constant-time comparison (node:crypto: the OS CSPRNG and OpenSSL's CRYPTO_memcmp) for the secure
 * channel, the simulator and the local KMS server, which import these instead of node:crypto (DEVELOPING.md: only
 * src/crypto touches it).
 */
import { randomBytes as nodeRandomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** `n` bytes from the operating system's CSPRNG. */
export function randomBytes(n: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(n));
}

/** A random (version 4) UUID: request ids of the local KMS server and the connector-compatible server. */
export function randomUuid(): string {
  return randomUUID();
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
