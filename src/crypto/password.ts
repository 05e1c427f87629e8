/**
 * Password → K-ENC/K-MAC for symmetric authentication keys (PROTOCOL.md 3.1; Yubico's
 * yubihsm-shell `yh_util_derive_key` / python-yubihsm `password_to_key`):
 *   PBKDF2-HMAC-SHA256(UTF-8 password, salt "Yubico", 10 000 iterations, 32 bytes) → K-ENC = dk[0:16], K-MAC = dk[16:32].
 * 10 000 iterations take milliseconds: derive once per credential and keep the keys, never the password.
 */
import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { StaticKeys } from './scp03.js';

export const PASSWORD_SALT = 'Yubico';
export const PASSWORD_ITERATIONS = 10_000;

function input(password: string | Uint8Array): Uint8Array {
  if (typeof password === 'string') return new Uint8Array(Buffer.from(password, 'utf8'));
  if (password instanceof Uint8Array) return password.slice();
  throw new UsageError('BAD_PASSWORD', 'The password must be a string or bytes.');
}

function split(dk: Buffer): StaticKeys {
  const keys = { encKey: new Uint8Array(dk.subarray(0, 16)), macKey: new Uint8Array(dk.subarray(16, 32)) };
  dk.fill(0);
  return keys;
}

/** K-ENC and K-MAC for `password` (a string is taken as UTF-8). Blocks the thread for the 10 000 iterations. */
export function passwordToKeys(password: string | Uint8Array): StaticKeys {
  const pw = input(password);
  try {
    return split(pbkdf2Sync(pw, PASSWORD_SALT, PASSWORD_ITERATIONS, 32, 'sha256'));
  } finally {
    pw.fill(0);
  }
}

/** Same as passwordToKeys, on libuv's thread pool. */
export function passwordToKeysAsync(password: string | Uint8Array): Promise<StaticKeys> {
  const pw = input(password);
  return new Promise((resolve, reject) => {
    pbkdf2(pw, PASSWORD_SALT, PASSWORD_ITERATIONS, 32, 'sha256', (err, dk) => {
      pw.fill(0);
      if (err) reject(err);
      else resolve(split(dk));
    });
  });
}
