/**
 * The key-agreement halves of session setup, as pure functions over bytes (PROTOCOL.md 3.3, 3.4, 3.6):
 * symmetric (password-derived K-ENC/K-MAC, card/host cryptograms, AuthenticateSession MAC) and asymmetric
 * (P-256 ECDH, X9.63 KDF, receipt). SecureChannel sequences them and keeps the state. Internal to src/session/.
 */
import {
  deriveAsymmetricSessionKeys, p256Ecdh, sessionReceipt, uncompressedP256,
} from '../crypto/asym-auth.js';
import { aesCmac } from '../crypto/cmac.js';
import { wipe } from '../crypto/random.js';
import { cardCryptogram, deriveSessionKeys, hostCryptogram, type SessionKeys, type StaticKeys } from '../crypto/scp03.js';
import { Command } from '../protocol/command-codes.js';

export interface SymmetricSecrets {
  sessionKeys: SessionKeys;
  cardCryptogram: Uint8Array;
  hostCryptogram: Uint8Array;
}

/** Session keys and both cryptograms for one symmetric session. */
export function symmetricSecrets(keys: StaticKeys, hostChallenge: Uint8Array, cardChallenge: Uint8Array): SymmetricSecrets {
  const sessionKeys = deriveSessionKeys(keys, hostChallenge, cardChallenge);
  return {
    sessionKeys,
    cardCryptogram: cardCryptogram(sessionKeys.macKey, hostChallenge, cardChallenge),
    hostCryptogram: hostCryptogram(sessionKeys.macKey, hostChallenge, cardChallenge),
  };
}

/**
 * The first 12 bytes of AuthenticateSession (`04 00 11 ‖ sid ‖ host cryptogram`) and the full CMAC over
 * zero chain ‖ those bytes; its first 8 bytes end the frame and all 16 become the first MAC chain value.
 */
export function authenticateSessionMac(sMac: Uint8Array, sessionId: number, hostCryptogramBytes: Uint8Array): {
  head: Uint8Array;
  fullMac: Uint8Array;
} {
  const head = new Uint8Array(12);
  head[0] = Command.AUTHENTICATE_SESSION;
  head[2] = 17;
  head[3] = sessionId;
  head.set(hostCryptogramBytes, 4);
  return { head, fullMac: aesCmac(sMac, new Uint8Array(16), head) };
}

/** The whole 20-byte AuthenticateSession frame and the chain value it starts. */
export function authenticateSessionFrame(sMac: Uint8Array, sessionId: number, hostCryptogramBytes: Uint8Array): {
  frame: Uint8Array;
  chain: Uint8Array;
} {
  const { head, fullMac } = authenticateSessionMac(sMac, sessionId, hostCryptogramBytes);
  const frame = new Uint8Array(20);
  frame.set(head);
  frame.set(fullMac.subarray(0, 8), 12);
  return { frame, chain: fullMac };
}

export interface AsymmetricSecrets {
  sessionKeys: SessionKeys;
  receipt: Uint8Array;
}

/**
 * Session keys and receipt of an asymmetric session, from either side: `ephemeralPrivate`/`staticPrivate` are
 * this side's keys, `peerEphemeral`/`peerStatic` the other side's public keys. Both ephemeral public keys are
 * needed for the receipt in its fixed order: device (SD) first, host (OCE) second.
 */
export function asymmetricSecrets(args: {
  ephemeralPrivate: Uint8Array;
  staticPrivate: Uint8Array;
  peerEphemeral: Uint8Array;
  peerStatic: Uint8Array;
  deviceEphemeralPublic: Uint8Array;
  hostEphemeralPublic: Uint8Array;
}): AsymmetricSecrets {
  const shsee = p256Ecdh(args.ephemeralPrivate, args.peerEphemeral);
  const shsss = p256Ecdh(args.staticPrivate, args.peerStatic);
  const { receiptKey, sessionKeys } = deriveAsymmetricSessionKeys(shsee, shsss);
  const receipt = sessionReceipt(
    receiptKey,
    uncompressedP256(args.deviceEphemeralPublic, 'device ephemeral public key'),
    uncompressedP256(args.hostEphemeralPublic, 'host ephemeral public key'),
  );
  wipe(shsee, shsss, receiptKey);
  return { sessionKeys, receipt };
}
