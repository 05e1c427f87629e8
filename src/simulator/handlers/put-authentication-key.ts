/**
 * Put Authentication Key 0x44: session capability put-authentication-key; capabilities and delegated capabilities
 * within the session key's delegated set. Algorithm 38: K-ENC ‖ K-MAC; algorithm 49: a P-256 public key X ‖ Y
 * that must be on the curve (INVALID_DATA otherwise). Origin 0x02.
 */
import { ecUncompressedPoint } from '../../crypto/key-material.js';
import { Algorithm } from '../../protocol/algorithms.js';
import { putAuthenticationKey } from '../../protocol/commands/put-authentication-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { precheckCreate, storeNew } from '../create.js';
import { E, fail } from '../fail.js';
import { defineHandler } from '../handler.js';
import { Origin } from '../state.js';

/** Checks the key bytes for an authentication-key algorithm (shared with ChangeAuthenticationKey). */
export function checkAuthKeyMaterial(algorithm: number, key: Uint8Array): void {
  const want = algorithm === Algorithm.AES128_YUBICO_AUTHENTICATION ? 32 : 64;
  if (key.length !== want) fail(E.WRONG_LENGTH, `Authentication key material for algorithm ${algorithm} is ${want} bytes.`);
  if (algorithm === Algorithm.EC_P256_YUBICO_AUTHENTICATION) {
    ecUncompressedPoint(Algorithm.EC_P256, Uint8Array.from([0x04, ...key]));
  }
}

export const putAuthenticationKeyHandler = defineHandler(putAuthenticationKey, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.AUTHENTICATION_KEY, q, 'put-authentication-key');
  checkAuthKeyMaterial(q.algorithm, q.key);
  return storeNew(ctx, ObjectType.AUTHENTICATION_KEY, id, q, q.key.slice(), Origin.IMPORTED).id;
});
