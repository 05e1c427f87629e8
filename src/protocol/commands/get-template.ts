/**
 * Get Template, command 0x5F. https://developers.yubico.com/YubiHSM2/Commands/Get_Template.html
 * In a session; session capability get-template (the object's own capabilities do not matter).
 * Request (L = 2): object id(2). Response: the stored template.
 */
import { Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { copyBytes, decodeIdRequest } from './shared.js';

export const getTemplate = defineCommand<number, Uint8Array>({
  code: Command.GET_TEMPLATE,
  name: 'Get Template',
  context: 'session',
  encodeRequest: (id) => new Writer(2).u16(id).finish(),
  decodeRequest: (p) => decodeIdRequest(p, 'GetTemplate request'),
  encodeResponse: copyBytes,
  decodeResponse: copyBytes,
});
