/**
 * Generate Wrap Key 0x5B: session capability generate-wrap-key; AES-CCM 128/192/256 (29/41/42) or, firmware 2.4,
 * an RSA 2048/3072/4096 import key (9/10/11). Origin 0x01.
 */
import { generateKeyMaterial } from '../../crypto/keys.js';
import { aesKeySizes, isRsaAlgorithm, type AlgorithmCode } from '../../protocol/algorithms.js';
import { generateWrapKey } from '../../protocol/commands/generate-wrap-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { precheckCreate, storeNew } from '../create.js';
import { defineHandler } from '../handler.js';
import { Origin } from '../state.js';

export const generateWrapKeyHandler = defineHandler(generateWrapKey, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.WRAP_KEY, q, 'generate-wrap-key');
  const key = isRsaAlgorithm(q.algorithm)
    ? generateKeyMaterial(q.algorithm)
    : ctx.device.random(aesKeySizes[q.algorithm as AlgorithmCode] as number);
  return storeNew(ctx, ObjectType.WRAP_KEY, id, q, key, Origin.GENERATED).id;
});
