/** Get Device Public Key 0x0A (plain): algorithm 49 ‖ the device's static P-256 key X ‖ Y. PROTOCOL.md 3.6. */
import { Algorithm } from '../../protocol/algorithms.js';
import { getDevicePublicKey } from '../../protocol/commands/get-device-public-key.js';
import { defineHandler } from '../handler.js';

export const getDevicePublicKeyHandler = defineHandler(getDevicePublicKey, (ctx) => ({
  algorithm: Algorithm.EC_P256_YUBICO_AUTHENTICATION,
  publicKey: ctx.device.identity().authPublicKey.slice(1),
}));
