/**
 * SCP03-style key derivation for YubiHSM 2 sessions (PROTOCOL.md 3.2-3.5; GlobalPlatform Card Specification
 * Amendment D; NIST SP 800-108 counter mode with AES-CMAC as the PRF):
 *
 *   KDF(key, constant, context, L) = AES-CMAC(key, 0x00×11 ‖ constant ‖ 0x00 ‖ u16be(L) ‖ 0x01 ‖ context)[0 : L/8]
 *
 * with context = host challenge(8) ‖ card challenge(8). Session keys, both cryptograms and the per-message IV
 * (AES-ECB(S-ENC, 16-byte big-endian counter)) are here; the MAC chain and framing live in src/session/.
 */
import { UsageError } from '../errors.js';
import { createCipheriv } from 'node:crypto';
import { aesEcbEncrypt } from './aes.js';
import { aesCmac } from './cmac.js';

/** Derivation constants (PROTOCOL.md 3.2, the SCP03 "derivation constant" byte). */
export const Derivation = {
  CARD_CRYPTOGRAM: 0x00,
  HOST_CRYPTOGRAM: 0x01,
  /** Defined by SCP03; unused by the YubiHSM 2, whose card challenge is random. */
  CARD_CHALLENGE: 0x02,
  S_ENC: 0x04,
  S_MAC: 0x06,
  S_RMAC: 0x07,
} as const;

/** The long-lived credential of a symmetric authentication key: K-ENC and K-MAC, 16 bytes each. */
export interface StaticKeys {
  encKey: Uint8Array;
  macKey: Uint8Array;
}

/** The three AES-128 session keys. */
export interface SessionKeys {
  encKey: Uint8Array;
  macKey: Uint8Array;
  rmacKey: Uint8Array;
}

export const CHALLENGE_LENGTH = 8;
export const CRYPTOGRAM_LENGTH = 8;

function need(bytes: Uint8Array, n: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
    throw new UsageError('BAD_LENGTH', `${what} must be ${n} bytes, got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}.`);
  }
}

/** The 32-byte KDF input block D of PROTOCOL.md 3.2. `context` is 16 bytes, `lengthBits` 64 or 128. */
export function kdfInput(constant: number, context: Uint8Array, lengthBits: 64 | 128): Uint8Array {
  need(context, 16, 'The KDF context (host challenge ‖ card challenge)');
  if (lengthBits !== 64 && lengthBits !== 128) {
    throw new UsageError('BAD_LENGTH', `The SCP03 KDF produces 64 or 128 bits here, not ${lengthBits}.`);
  }
  const d = new Uint8Array(32);
  d[11] = constant;
  d[13] = lengthBits >>> 8;
  d[14] = lengthBits & 0xff;
  d[15] = 0x01;
  d.set(context, 16);
  return d;
}

/** KDF(key, constant, context, L) of PROTOCOL.md 3.2. */
export function scp03Kdf(key: Uint8Array, constant: number, context: Uint8Array, lengthBits: 64 | 128): Uint8Array {
  const full = aesCmac(key, kdfInput(constant, context, lengthBits));
  if (lengthBits === 128) return full;
  const out = full.slice(0, 8);
  full.fill(0);
  return out;
}

/** host challenge ‖ card challenge. */
export function challengeContext(hostChallenge: Uint8Array, cardChallenge: Uint8Array): Uint8Array {
  need(hostChallenge, CHALLENGE_LENGTH, 'The host challenge');
  need(cardChallenge, CHALLENGE_LENGTH, 'The card challenge');
  const c = new Uint8Array(16);
  c.set(hostChallenge);
  c.set(cardChallenge, 8);
  return c;
}

/** S-ENC, S-MAC and S-RMAC from K-ENC/K-MAC and the two challenges. */
export function deriveSessionKeys(keys: StaticKeys, hostChallenge: Uint8Array, cardChallenge: Uint8Array): SessionKeys {
  need(keys.encKey, 16, 'K-ENC');
  need(keys.macKey, 16, 'K-MAC');
  const ctx = challengeContext(hostChallenge, cardChallenge);
  return {
    encKey: scp03Kdf(keys.encKey, Derivation.S_ENC, ctx, 128),
    macKey: scp03Kdf(keys.macKey, Derivation.S_MAC, ctx, 128),
    rmacKey: scp03Kdf(keys.macKey, Derivation.S_RMAC, ctx, 128),
  };
}

/** The card cryptogram the device returns in CreateSession: KDF(S-MAC, 0x00, H ‖ C, 64). */
export function cardCryptogram(sMac: Uint8Array, hostChallenge: Uint8Array, cardChallenge: Uint8Array): Uint8Array {
  return scp03Kdf(sMac, Derivation.CARD_CRYPTOGRAM, challengeContext(hostChallenge, cardChallenge), 64);
}

/** The host cryptogram sent in AuthenticateSession: KDF(S-MAC, 0x01, H ‖ C, 64). */
export function hostCryptogram(sMac: Uint8Array, hostChallenge: Uint8Array, cardChallenge: Uint8Array): Uint8Array {
  return scp03Kdf(sMac, Derivation.HOST_CRYPTOGRAM, challengeContext(hostChallenge, cardChallenge), 64);
}

/** The per-message IV: AES-ECB(S-ENC, counter), `counter` being the 16-byte big-endian message counter. */
export function messageIv(sEnc: Uint8Array, counter: Uint8Array): Uint8Array {
  need(counter, 16, 'The message counter block');
  return aesEcbEncrypt(sEnc, counter);
}

/**
 * IV and AES-CBC(S-ENC, IV, padded) in one OpenSSL call: CBC over `counter ‖ padded` with a zero IV yields
 * AES(counter) = IV as its first block and then exactly the CBC encryption of `padded` chained from that IV.
 */
export function encryptWithCounterIv(sEnc: Uint8Array, counter: Uint8Array, padded: Uint8Array): { iv: Uint8Array; ciphertext: Uint8Array } {
  need(sEnc, 16, 'S-ENC');
  need(counter, 16, 'The message counter block');
  if (padded.length === 0 || padded.length % 16 !== 0) {
    throw new UsageError('NOT_BLOCK_ALIGNED', `The padded message must be a non-empty multiple of 16 bytes, got ${padded.length}.`);
  }
  const c = createCipheriv('aes-128-cbc', sEnc, ZERO_IV).setAutoPadding(false);
  const head = c.update(counter);
  const body = c.update(padded);
  return { iv: new Uint8Array(head), ciphertext: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
}

const ZERO_IV = new Uint8Array(16);

/** A 16-byte big-endian counter block holding `n`. */
export function counterBlock(n: bigint): Uint8Array {
  if (n < 0n || n >= 1n << 128n) throw new UsageError('BAD_COUNTER', `The message counter must fit 128 bits, got ${n}.`);
  const b = new Uint8Array(16);
  for (let i = 15; i >= 0 && n > 0n; i--, n >>= 8n) b[i] = Number(n & 0xffn);
  return b;
}

/** Adds one to a 16-byte big-endian counter block in place (wrapping at 2^128, as libyubihsm does). */
export function incrementCounter(block: Uint8Array): void {
  for (let i = block.length - 1; i >= 0; i--) {
    block[i] = (block[i] + 1) & 0xff;
    if (block[i] !== 0) return;
  }
}

/** Zeroes the session keys. */
export function wipeSessionKeys(keys: SessionKeys): void {
  keys.encKey.fill(0);
  keys.macKey.fill(0);
  keys.rmacKey.fill(0);
}
