/** Put Symmetric Key 0x6D (firmware 2.3.1): session capability put-symmetric-key; AES-128/192/256 (50/51/52). Origin 0x02. */
import { aesKeySizes, type AlgorithmCode } from '../../protocol/algorithms.js';
import { putSymmetricKey } from '../../protocol/commands/put-symmetric-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { precheckCreate, storeNew } from '../create.js';
import { E, fail } from '../fail.js';
import { defineHandler } from '../handler.js';
import { Origin } from '../state.js';

export const putSymmetricKeyHandler = defineHandler(putSymmetricKey, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.SYMMETRIC_KEY, q, 'put-symmetric-key');
  const want = aesKeySizes[q.algorithm as AlgorithmCode] as number;
  if (q.key.length !== want) fail(E.WRONG_LENGTH, `The AES key is ${q.key.length} bytes; algorithm ${q.algorithm} needs ${want}.`);
  return storeNew(ctx, ObjectType.SYMMETRIC_KEY, id, q, q.key.slice(), Origin.IMPORTED).id;
});
