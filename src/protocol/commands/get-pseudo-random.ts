/**
 * Get Pseudo Random, command 0x51. https://developers.yubico.com/YubiHSM2/Commands/Get_Pseudo_Random.html
 * In a session; session capability get-pseudo-random. Request (L = 2): count(u16). Response: count bytes.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { copyBytes, exactly } from './shared.js';

export const getPseudoRandom = defineCommand<number, Uint8Array>({
  code: Command.GET_PSEUDO_RANDOM,
  name: 'Get Pseudo Random',
  context: 'session',
  encodeRequest: (count) => new Writer(2).u16(count).finish(),
  decodeRequest: (p) => new Reader(exactly(p, 2, 'GetPseudoRandom request')).u16('count'),
  encodeResponse: copyBytes,
  decodeResponse: copyBytes,
});
