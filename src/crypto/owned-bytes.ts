/**
 * Plaintext that node:crypto hands back in a Buffer (decryption results) is copied into an array the caller owns and
 * wipes, and the Buffer is zeroed at once, so no second copy of a secret outlives the caller's fill(0).
 */

/** A fresh Uint8Array holding `parts` joined; every part is zeroed. */
export function takeBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
    p.fill(0);
  }
  return out;
}

/** A Buffer over the same memory (no copy), for node:crypto calls given secret bytes the caller will wipe. */
export function bufferView(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
