/** Generate Symmetric Key 0x6E (firmware 2.3.1): session capability generate-symmetric-key; AES 50/51/52. Origin 0x01. */
import { aesKeySizes, type AlgorithmCode } from '../../protocol/algorithms.js';
import { generateSymmetricKey } from '../../protocol/commands/generate-symmetric-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { precheckCreate, storeNew } from '../create.js';
import { defineHandler } from '../handler.js';
import { Origin } from '../state.js';

export const generateSymmetricKeyHandler = defineHandler(generateSymmetricKey, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.SYMMETRIC_KEY, q, 'generate-symmetric-key');
  const key = ctx.device.random(aesKeySizes[q.algorithm as AlgorithmCode] as number);
  return storeNew(ctx, ObjectType.SYMMETRIC_KEY, id, q, key, Origin.GENERATED).id;
});
