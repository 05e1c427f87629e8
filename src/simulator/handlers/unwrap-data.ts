/**
 * Unwrap Data 0x69: unwrap-data on the session and an AES-CCM wrap key (firmware 2.4: INVALID_DATA when the key
 * lacks it). A blob that does not authenticate, or whose first plaintext byte is not 0x00, is INVALID_DATA.
 */
import { unwrapData as ccmUnwrapData } from '../../crypto/aes-ccm.js';
import { capabilityMask } from '../../protocol/capabilities.js';
import { isRsaAlgorithm } from '../../protocol/algorithms.js';
import { unwrapData } from '../../protocol/commands/unwrap-data.js';
import { ObjectType } from '../../protocol/object-types.js';
import { findVisible, requireSessionCapability } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';

export const unwrapDataHandler = defineHandler(unwrapData, (ctx, q) => {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, 'unwrap-data');
  const key = findVisible(ctx.contents, auth, ObjectType.WRAP_KEY, q.keyId);
  ctx.audit.target = key.id;
  if (isRsaAlgorithm(key.algorithm) || (key.capabilities & capabilityMask('unwrap-data')) === 0n) {
    fail(E.INVALID_DATA, 'The wrap key cannot unwrap data (firmware 2.4 answers INVALID_DATA for a key without unwrap-data).');
  }
  const data = ccmUnwrapData(key.material, q.wrapped);
  if (!data) fail(E.INVALID_DATA, 'The blob does not authenticate under this wrap key.');
  return data;
});
