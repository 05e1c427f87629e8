/**
 * Message digests and HMAC for code outside src/crypto that must not import node:crypto itself (DEVELOPING.md):
 * file-integrity hashes of import-parameter bundles, fingerprints in transcripts, the simulator's SignHmac and the
 * local KMS server's GenerateMac.
 */
import { createHash, createHmac } from 'node:crypto';

/** SHA-256 (FIPS 180-4) of `data`: 32 bytes. */
export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** SHA-256 of `data` as 64 lowercase hex digits. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** HMAC (RFC 2104) of `data` under `key` with a node digest name (`sha1`, `sha256`, ...). */
export function hmac(hash: string, key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(hash, key).update(data).digest());
}

/** The digest of `data` with a named hash (sha1, sha256, sha384, sha512). */
export function digest(hash: 'sha1' | 'sha256' | 'sha384' | 'sha512', data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash(hash).update(data).digest());
}
