/**
 * Encrypt/Decrypt AES ECB (0x70/0x6F) and CBC (0x72/0x71), firmware 2.3.1: the matching capability on the session
 * and the symmetric key; whole blocks, no padding; the mechanism (aes-ecb 53 / aes-cbc 54) may be toggled off.
 */
import { aesCbcDecrypt, aesCbcEncrypt, aesEcbDecrypt, aesEcbEncrypt } from '../../crypto/aes.js';
import { Algorithm } from '../../protocol/algorithms.js';
import type { CapabilityName } from '../../protocol/capabilities.js';
import { decryptAesCbc } from '../../protocol/commands/decrypt-aes-cbc.js';
import { decryptAesEcb } from '../../protocol/commands/decrypt-aes-ecb.js';
import { encryptAesCbc } from '../../protocol/commands/encrypt-aes-cbc.js';
import { encryptAesEcb } from '../../protocol/commands/encrypt-aes-ecb.js';
import { ObjectType } from '../../protocol/object-types.js';
import { useObject } from '../access.js';
import { defineHandler, requireAlgorithmEnabled, sessionAuth, type HandlerContext } from '../handler.js';
import type { SimObject } from '../state.js';

function symmetricKey(ctx: HandlerContext, id: number, cap: CapabilityName, mechanism: number): SimObject {
  const key = useObject(ctx.contents, sessionAuth(ctx), ObjectType.SYMMETRIC_KEY, id, cap);
  ctx.audit.target = key.id;
  requireAlgorithmEnabled(ctx, mechanism);
  return key;
}

export const encryptAesEcbHandler = defineHandler(encryptAesEcb, (ctx, q) =>
  aesEcbEncrypt(symmetricKey(ctx, q.keyId, 'encrypt-ecb', Algorithm.AES_ECB).material, q.data));
export const decryptAesEcbHandler = defineHandler(decryptAesEcb, (ctx, q) =>
  aesEcbDecrypt(symmetricKey(ctx, q.keyId, 'decrypt-ecb', Algorithm.AES_ECB).material, q.data));
export const encryptAesCbcHandler = defineHandler(encryptAesCbc, (ctx, q) =>
  aesCbcEncrypt(symmetricKey(ctx, q.keyId, 'encrypt-cbc', Algorithm.AES_CBC).material, q.iv, q.data));
export const decryptAesCbcHandler = defineHandler(decryptAesCbc, (ctx, q) =>
  aesCbcDecrypt(symmetricKey(ctx, q.keyId, 'decrypt-cbc', Algorithm.AES_CBC).material, q.iv, q.data));
