/**
 * Put HMAC Key 0x52: session capability put-mac-key; hmac-sha1/256/384/512 (19-22); the key is 1 to B bytes
 * (B = 64 for SHA-1/256, 128 for SHA-384/512; a longer key is INVALID_DATA [I]). Origin 0x02.
 */
import { hmacAlgorithms, type HmacAlgorithm } from '../../protocol/algorithms.js';
import { putHmacKey } from '../../protocol/commands/put-hmac-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { precheckCreate, storeNew } from '../create.js';
import { E, fail } from '../fail.js';
import { defineHandler } from '../handler.js';
import { Origin } from '../state.js';

export const putHmacKeyHandler = defineHandler(putHmacKey, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.HMAC_KEY, q, 'put-mac-key');
  const block = hmacAlgorithms[q.algorithm as HmacAlgorithm].block;
  if (q.key.length > block) fail(E.INVALID_DATA, `An HMAC key for algorithm ${q.algorithm} is at most ${block} bytes.`);
  return storeNew(ctx, ObjectType.HMAC_KEY, id, q, q.key.slice(), Origin.IMPORTED).id;
});
