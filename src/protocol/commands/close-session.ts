/**
 * Close Session, command 0x40. https://developers.yubico.com/YubiHSM2/Commands/Close_Session.html
 * Inside the session being closed. Request: empty. Response: empty (the device frees the slot after replying).
 */
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeEmpty, encodeEmpty } from './shared.js';

export const closeSession = defineCommand<void, void>({
  code: Command.CLOSE_SESSION,
  name: 'Close Session',
  context: 'session',
  encodeRequest: encodeEmpty,
  decodeRequest: (p) => decodeEmpty(p, 'CloseSession request'),
  encodeResponse: encodeEmpty,
  decodeResponse: (p) => decodeEmpty(p, 'CloseSession response'),
});
