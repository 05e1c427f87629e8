/**
 * Echo, command 0x01. https://developers.yubico.com/YubiHSM2/Commands/Echo.html
 * Request: data (at least 1 byte). Response: the same bytes. Plain or inside a session; no capability needed.
 */
import { ProtocolError } from '../../errors.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { own } from './shared.js';

export const echo = defineCommand<Uint8Array, Uint8Array>({
  code: Command.ECHO,
  name: 'Echo',
  context: 'both',
  encodeRequest: (data) => own(data),
  decodeRequest(payload) {
    if (payload.length < 1) throw new ProtocolError('ECHO_EMPTY', 'Echo needs at least 1 byte of data.', 0x08);
    return own(payload);
  },
  encodeResponse: (data) => own(data),
  decodeResponse: (payload) => own(payload),
});
