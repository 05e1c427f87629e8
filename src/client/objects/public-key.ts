/**
 * A public key read with GetPublicKey (0x54, PROTOCOL.md 5.4) in the forms callers need: the device's raw form
 * (RSA n, EC X‖Y, Ed25519 A), DER SubjectPublicKeyInfo and PEM (`-----BEGIN PUBLIC KEY-----`, what
 * `openssl pkey -pubin` and KMS GetPublicKey use).
 */
import { encodeSpki, spkiToPem } from '../../crypto/spki.js';
import { getPublicKey } from '../../protocol/commands/get-public-key.js';
import type { HsmSession } from '../session.js';

export interface HsmPublicKey {
  /** Key algorithm (rsa2048 ... ecp256 ... ed25519). */
  algorithm: number;
  /** RSA modulus n, EC X ‖ Y, or the 32-byte Ed25519 point. */
  raw: Uint8Array;
  /** DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  /** PEM `PUBLIC KEY`. */
  pem: string;
}

export function toHsmPublicKey(algorithm: number, raw: Uint8Array): HsmPublicKey {
  const spki = encodeSpki(algorithm, raw);
  return { algorithm, raw, spki, pem: spkiToPem(spki) };
}

/** GetPublicKey of an asymmetric key (type 3, 2-byte form) or, on firmware 2.4+, of a wrap key (4) or public wrap key (9). */
export async function readPublicKey(session: HsmSession, keyId: number, type: number): Promise<HsmPublicKey> {
  const res = await session.call(getPublicKey, type === 3 ? { keyId } : { keyId, type });
  return toHsmPublicKey(res.algorithm, res.publicKey);
}
