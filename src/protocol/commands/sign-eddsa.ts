/**
 * Sign EdDSA, command 0x6A. https://developers.yubico.com/YubiHSM2/Commands/Sign_Eddsa.html
 * In a session; capability sign-eddsa on the session and the key. Request: key id(2) ‖ message (pure Ed25519
 * over the raw bytes; may be empty, python-yubihsm's device test signs RFC 8032 test 1, the empty message).
 * Response (L = 64): the signature R ‖ S.
 */
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { copyBytes, decodeKeyAndData, encodeKeyAndData, exactly, type KeyAndData, own } from './shared.js';

export const signEddsa = defineCommand<KeyAndData, Uint8Array>({
  code: Command.SIGN_EDDSA,
  name: 'Sign EdDSA',
  context: 'session',
  encodeRequest: encodeKeyAndData,
  decodeRequest: (p) => decodeKeyAndData(p, 'SignEddsa request', 0),
  encodeResponse: copyBytes,
  decodeResponse: (p) => own(exactly(p, 64, 'SignEddsa response')),
});
