/**
 * Put Asymmetric Key 0x45: session capability put-asymmetric-key; body RSA p‖q, EC d or Ed25519 seed
 * (PROTOCOL.md 5.4). A body of the wrong size for the algorithm is WRONG_LENGTH; bytes that are not a valid key
 * (scalar out of range, factors not prime, wrong modulus size) are INVALID_DATA. Origin 0x02.
 */
import { checkKeyMaterial, materialLength } from '../../crypto/key-material.js';
import { putAsymmetricKey } from '../../protocol/commands/put-asymmetric-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { precheckCreate, storeNew } from '../create.js';
import { E, fail } from '../fail.js';
import { defineHandler } from '../handler.js';
import { Origin } from '../state.js';
import { asKeyAlgorithm } from '../../crypto/keys.js';

export const putAsymmetricKeyHandler = defineHandler(putAsymmetricKey, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.ASYMMETRIC_KEY, q, 'put-asymmetric-key');
  const alg = asKeyAlgorithm(q.algorithm);
  if (q.key.length !== materialLength(alg)) {
    fail(E.WRONG_LENGTH, `Key body is ${q.key.length} bytes; algorithm ${alg} needs ${materialLength(alg)}.`);
  }
  checkKeyMaterial(alg, q.key);
  return storeNew(ctx, ObjectType.ASYMMETRIC_KEY, id, q, q.key.slice(), Origin.IMPORTED).id;
});
