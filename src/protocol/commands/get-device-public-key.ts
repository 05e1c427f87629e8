/**
 * Get Device Public Key, command 0x0A (firmware 2.3+). https://developers.yubico.com/YubiHSM2/Commands/Get_Device_Pubkey.html
 * Sent plain. Request: empty. Response (L = 65): algorithm(1, 49 = ecp256-yubico-authentication) ‖ X(32) ‖ Y(32),
 * the device's static P-256 key for asymmetric authentication (PROTOCOL.md 3.6), without the 0x04 prefix.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeEmpty, encodeEmpty, exactly, own } from './shared.js';

export interface DevicePublicKey {
  algorithm: number;
  /** X ‖ Y, 64 bytes. */
  publicKey: Uint8Array;
}

export const getDevicePublicKey = defineCommand<void, DevicePublicKey>({
  code: Command.GET_DEVICE_PUBKEY,
  name: 'Get Device Public Key',
  context: 'plain',
  encodeRequest: encodeEmpty,
  decodeRequest: (p) => decodeEmpty(p, 'GetDevicePublicKey request'),
  encodeResponse: (k) => new Writer(65).u8(k.algorithm).bytes(k.publicKey).finish(),
  decodeResponse(payload) {
    const r = new Reader(exactly(payload, 65, 'GetDevicePublicKey response'), 'GetDevicePublicKey response');
    return { algorithm: r.u8('algorithm'), publicKey: own(r.bytesN(64, 'public key')) };
  },
});
