/**
 * Authenticate Session, command 0x04. https://developers.yubico.com/YubiHSM2/Commands/Authenticate_Session.html
 * Sent plain (MACed). Request (L = 17): session id(1) ‖ host cryptogram(8) ‖ C-MAC(8). Response: empty.
 * The session layer computes the cryptogram and the MAC (PROTOCOL.md 3.4); this codec only places them.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeEmpty, encodeEmpty, exactly, own } from './shared.js';

export interface AuthenticateSessionRequest {
  sessionId: number;
  hostCryptogram: Uint8Array;
  mac: Uint8Array;
}

export const authenticateSession = defineCommand<AuthenticateSessionRequest, void>({
  code: Command.AUTHENTICATE_SESSION,
  name: 'Authenticate Session',
  context: 'plain',
  encodeRequest: (q) => new Writer(17).u8(q.sessionId).bytes(q.hostCryptogram).bytes(q.mac).finish(),
  decodeRequest(payload) {
    const r = new Reader(exactly(payload, 17, 'AuthenticateSession request'), 'AuthenticateSession request');
    return { sessionId: r.u8('session id'), hostCryptogram: own(r.bytesN(8)), mac: own(r.bytesN(8)) };
  },
  encodeResponse: encodeEmpty,
  decodeResponse: (p) => decodeEmpty(p, 'AuthenticateSession response'),
});
