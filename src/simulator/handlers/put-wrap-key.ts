/**
 * Put Wrap Key 0x4C: session capability put-wrap-key. AES-CCM wrap keys (29/41/42) take 16/24/32 key bytes;
 * firmware 2.4 RSA wrap keys (9/10/11, used only to import with 0x75/0x77) take p ‖ q. Origin 0x02.
 */
import { checkKeyMaterial, materialLength } from '../../crypto/key-material.js';
import { aesKeySizes, isRsaAlgorithm, type AlgorithmCode } from '../../protocol/algorithms.js';
import { putWrapKey } from '../../protocol/commands/put-wrap-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { precheckCreate, storeNew } from '../create.js';
import { E, fail } from '../fail.js';
import { defineHandler } from '../handler.js';
import { Origin } from '../state.js';

export const putWrapKeyHandler = defineHandler(putWrapKey, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.WRAP_KEY, q, 'put-wrap-key');
  const want = isRsaAlgorithm(q.algorithm) ? materialLength(q.algorithm) : (aesKeySizes[q.algorithm as AlgorithmCode] as number);
  if (q.key.length !== want) fail(E.WRONG_LENGTH, `The wrap key is ${q.key.length} bytes; algorithm ${q.algorithm} needs ${want}.`);
  if (isRsaAlgorithm(q.algorithm)) checkKeyMaterial(q.algorithm, q.key);
  return storeNew(ctx, ObjectType.WRAP_KEY, id, q, q.key.slice(), Origin.IMPORTED).id;
});
