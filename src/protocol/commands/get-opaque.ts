/**
 * Get Opaque, command 0x43. https://developers.yubico.com/YubiHSM2/Commands/Get_Opaque.html
 * In a session; session capability get-opaque (the object's own capabilities do not matter).
 * Request (L = 2): object id(2). Response: the stored data.
 */
import { Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { copyBytes, decodeIdRequest } from './shared.js';

export const getOpaque = defineCommand<number, Uint8Array>({
  code: Command.GET_OPAQUE,
  name: 'Get Opaque',
  context: 'session',
  encodeRequest: (id) => new Writer(2).u16(id).finish(),
  decodeRequest: (p) => decodeIdRequest(p, 'GetOpaque request'),
  encodeResponse: copyBytes,
  decodeResponse: copyBytes,
});
