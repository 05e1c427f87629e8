/**
 * Generate Asymmetric Key 0x46: session capability generate-asymmetric-key; RSA 2048/3072/4096, EC P-224/P-256/
 * P-384/P-521/K-256/brainpool 256/384/512, Ed25519, generated with node:crypto (src/crypto/keys.ts). Origin 0x01.
 */
import { generateKeyMaterial } from '../../crypto/keys.js';
import { generateAsymmetricKey } from '../../protocol/commands/generate-asymmetric-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { precheckCreate, storeNew } from '../create.js';
import { defineHandler } from '../handler.js';
import { Origin } from '../state.js';

export const generateAsymmetricKeyHandler = defineHandler(generateAsymmetricKey, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.ASYMMETRIC_KEY, q, 'generate-asymmetric-key');
  return storeNew(ctx, ObjectType.ASYMMETRIC_KEY, id, q, generateKeyMaterial(q.algorithm), Origin.GENERATED).id;
});
