/** Generate HMAC Key 0x5A: session capability generate-hmac-key; a random key of the hash's output length [I]. Origin 0x01. */
import { hmacAlgorithms, type HmacAlgorithm } from '../../protocol/algorithms.js';
import { generateHmacKey } from '../../protocol/commands/generate-hmac-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { precheckCreate, storeNew } from '../create.js';
import { defineHandler } from '../handler.js';
import { Origin } from '../state.js';

export const generateHmacKeyHandler = defineHandler(generateHmacKey, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.HMAC_KEY, q, 'generate-hmac-key');
  const key = ctx.device.random(hmacAlgorithms[q.algorithm as HmacAlgorithm].macLength);
  return storeNew(ctx, ObjectType.HMAC_KEY, id, q, key, Origin.GENERATED).id;
});
