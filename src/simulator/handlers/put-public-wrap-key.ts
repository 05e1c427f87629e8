/**
 * Put Public Wrap Key 0x73 (firmware 2.4): session capability put-public-wrap-key; an RSA modulus of exactly k
 * bytes and 8k bits for algorithm 9/10/11 (e = 65537 implied). Creates a type-9 object used only for exporting
 * (0x74/0x76), with delegated capabilities bounding what it may export. Origin 0x02.
 */
import { encodeSpki } from '../../crypto/spki.js';
import { rsaSizes, type RsaAlgorithm } from '../../protocol/algorithms.js';
import { putPublicWrapKey } from '../../protocol/commands/put-public-wrap-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { precheckCreate, storeNew } from '../create.js';
import { E, fail } from '../fail.js';
import { defineHandler } from '../handler.js';
import { Origin } from '../state.js';

export const putPublicWrapKeyHandler = defineHandler(putPublicWrapKey, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.PUBLIC_WRAP_KEY, q, 'put-public-wrap-key');
  const k = rsaSizes[q.algorithm as RsaAlgorithm];
  if (q.modulus.length !== k) fail(E.WRONG_LENGTH, `The modulus is ${q.modulus.length} bytes; algorithm ${q.algorithm} needs ${k}.`);
  if ((q.modulus[k - 1] & 1) === 0) fail(E.INVALID_DATA, 'An RSA modulus is odd.');
  encodeSpki(q.algorithm, q.modulus); // checks the bit length
  return storeNew(ctx, ObjectType.PUBLIC_WRAP_KEY, id, q, q.modulus.slice(), Origin.IMPORTED).id;
});
