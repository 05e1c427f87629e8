/**
 * Key material of an authentication key (PROTOCOL.md 5.3), shared by PutAuthenticationKey and
 * ChangeAuthenticationKey: algorithm 38 takes K-ENC(16) ‖ K-MAC(16) = 32 bytes, algorithm 49 a P-256 public key
 * X(32) ‖ Y(32) = 64 bytes. The algorithm byte implies the length; for any other algorithm the device answers
 * INVALID_DATA, so only the two possible lengths are checked here.
 */
import { Reader } from '../bytes.js';
import { wrongLength, own } from './shared.js';

const KEY_LENGTH_BY_ALGORITHM: Record<number, number> = { 38: 32, 49: 64 };

export function readAuthKeyMaterial(r: Reader, algorithm: number, what: string): Uint8Array {
  const key = r.rest();
  const expected = KEY_LENGTH_BY_ALGORITHM[algorithm];
  if (expected !== undefined ? key.length !== expected : key.length !== 32 && key.length !== 64) {
    throw wrongLength(
      'BAD_AUTH_KEY_LENGTH',
      `${what}: key material is ${key.length} bytes; algorithm 38 needs K-ENC ‖ K-MAC (32), algorithm 49 X ‖ Y (64).`,
    );
  }
  return own(key);
}
