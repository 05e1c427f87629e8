/**
 * Create Session, command 0x03. https://developers.yubico.com/YubiHSM2/Commands/Create_Session.html
 * Sent plain. Two request forms, told apart by length (PROTOCOL.md 3.3, 3.6):
 *   symmetric  (L = 10): auth key id(2) ‖ host challenge(8)
 *              response (L = 17): session id(1) ‖ card challenge(8) ‖ card cryptogram(8)
 *   asymmetric (L = 67): auth key id(2) ‖ host ephemeral public key(65, 0x04 ‖ X ‖ Y)
 *              response (L = 82): session id(1) ‖ device ephemeral public key(65) ‖ receipt(16)
 * The codec only moves bytes; the session layer computes and checks challenges, cryptograms and receipts.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { invalidData, wrongLength, own } from './shared.js';

export interface CreateSessionSymmetricRequest {
  kind: 'symmetric';
  authKeyId: number;
  hostChallenge: Uint8Array;
}
export interface CreateSessionAsymmetricRequest {
  kind: 'asymmetric';
  authKeyId: number;
  /** Uncompressed P-256 point, 65 bytes starting with 0x04. */
  hostEphemeralPublicKey: Uint8Array;
}
export type CreateSessionRequest = CreateSessionSymmetricRequest | CreateSessionAsymmetricRequest;

export interface CreateSessionSymmetricResponse {
  kind: 'symmetric';
  sessionId: number;
  cardChallenge: Uint8Array;
  cardCryptogram: Uint8Array;
}
export interface CreateSessionAsymmetricResponse {
  kind: 'asymmetric';
  sessionId: number;
  deviceEphemeralPublicKey: Uint8Array;
  receipt: Uint8Array;
}
export type CreateSessionResponse = CreateSessionSymmetricResponse | CreateSessionAsymmetricResponse;

const WHAT = 'CreateSession';

function point(bytes: Uint8Array, field: string): Uint8Array {
  if (bytes[0] !== 0x04) {
    throw invalidData('BAD_EC_POINT', `${WHAT}: ${field} must be an uncompressed P-256 point starting with 0x04.`);
  }
  return own(bytes);
}

export const createSession = defineCommand<CreateSessionRequest, CreateSessionResponse>({
  code: Command.CREATE_SESSION,
  name: 'Create Session',
  context: 'plain',
  encodeRequest: (q) =>
    new Writer(67)
      .u16(q.authKeyId)
      .bytes(q.kind === 'symmetric' ? q.hostChallenge : q.hostEphemeralPublicKey)
      .finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, `${WHAT} request`);
    if (payload.length === 10) return { kind: 'symmetric', authKeyId: r.u16(), hostChallenge: own(r.bytesN(8)) };
    if (payload.length === 67) {
      return { kind: 'asymmetric', authKeyId: r.u16(), hostEphemeralPublicKey: point(r.bytesN(65), 'the host ephemeral key') };
    }
    throw wrongLength(
      'BAD_CREATE_SESSION_LENGTH',
      `${WHAT} request must be 10 (symmetric) or 67 (asymmetric) bytes, got ${payload.length}.`,
    );
  },
  encodeResponse: (s) =>
    s.kind === 'symmetric'
      ? new Writer(17).u8(s.sessionId).bytes(s.cardChallenge).bytes(s.cardCryptogram).finish()
      : new Writer(82).u8(s.sessionId).bytes(s.deviceEphemeralPublicKey).bytes(s.receipt).finish(),
  decodeResponse(payload) {
    const r = new Reader(payload, `${WHAT} response`);
    if (payload.length === 17) {
      return { kind: 'symmetric', sessionId: r.u8(), cardChallenge: own(r.bytesN(8)), cardCryptogram: own(r.bytesN(8)) };
    }
    if (payload.length === 82) {
      const sessionId = r.u8();
      const deviceEphemeralPublicKey = point(r.bytesN(65), 'the device ephemeral key');
      return { kind: 'asymmetric', sessionId, deviceEphemeralPublicKey, receipt: own(r.bytesN(16)) };
    }
    throw wrongLength(
      'BAD_CREATE_SESSION_LENGTH',
      `${WHAT} response must be 17 (symmetric) or 82 (asymmetric) bytes, got ${payload.length}.`,
    );
  },
});
