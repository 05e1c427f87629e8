/** Test helpers for the secure-channel and session-crypto tests: vectors.json, hex, and an openssl runner. */
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { generateP256KeyPair } from '../../src/crypto/asym-auth.js';
import { randomBytes } from '../../src/crypto/random.js';
import { createSession } from '../../src/protocol/commands/create-session.js';
import { SecureChannel } from '../../src/session/index.js';
import { loadYubihsmVectors } from '../vectors/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const vectors: any = loadYubihsmVectors();

export const h = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
export const u = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/** Runs openssl with `args` and returns stdout trimmed. */
export function openssl(args: string[], input?: Uint8Array): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
}

/** A host and a device channel, open on each other, with random credentials. */
export function openPair(kind: 'symmetric' | 'asymmetric' = 'symmetric', sessionId = 7) {
  if (kind === 'symmetric') {
    const keys = { encKey: randomBytes(16), macKey: randomBytes(16) };
    const host = SecureChannel.hostSymmetric({ authKeyId: 0x1234, keys });
    const req = createSession.decodeRequest(host.createSessionRequest().subarray(3));
    if (req.kind !== 'symmetric') throw new Error('expected a symmetric request');
    const device = SecureChannel.deviceSymmetric({ sessionId, request: req, keys });
    const auth = host.handleCreateSessionResponse(device.createSessionResponse());
    host.handleAuthenticateSessionResponse(device.handleAuthenticateSession(auth!));
    return { host, device, keys };
  }
  const oce = generateP256KeyPair();
  const sd = generateP256KeyPair();
  const host = SecureChannel.hostAsymmetric({ authKeyId: 3, privateKey: oce.privateKey, devicePublicKey: sd.publicKey.subarray(1) });
  const req = createSession.decodeRequest(host.createSessionRequest().subarray(3));
  if (req.kind !== 'asymmetric') throw new Error('expected an asymmetric request');
  const device = SecureChannel.deviceAsymmetric({ sessionId, request: req, devicePrivateKey: sd.privateKey, authPublicKey: oce.publicKey });
  assert.equal(host.handleCreateSessionResponse(device.createSessionResponse()), undefined);
  return { host, device, keys: undefined };
}
