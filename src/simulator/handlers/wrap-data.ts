/**
 * Wrap Data 0x68: wrap-data on the session and an AES-CCM wrap key. Firmware 2.4 answers INVALID_DATA (not
 * INSUFFICIENT_PERMISSIONS, which 2.5 does) when the key lacks the capability (PROTOCOL.md 1.3).
 * Response: nonce(13) ‖ AES-CCM(0x00 ‖ data) ‖ tag(16).
 */
import { CCM_NONCE_LENGTH, wrapData as ccmWrapData } from '../../crypto/aes-ccm.js';
import { capabilityMask } from '../../protocol/capabilities.js';
import { isRsaAlgorithm } from '../../protocol/algorithms.js';
import { wrapData } from '../../protocol/commands/wrap-data.js';
import { ObjectType } from '../../protocol/object-types.js';
import { findVisible, requireSessionCapability } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';

export const wrapDataHandler = defineHandler(wrapData, (ctx, q) => {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, 'wrap-data');
  const key = findVisible(ctx.contents, auth, ObjectType.WRAP_KEY, q.keyId);
  ctx.audit.target = key.id;
  if (isRsaAlgorithm(key.algorithm) || (key.capabilities & capabilityMask('wrap-data')) === 0n) {
    fail(E.INVALID_DATA, 'The wrap key cannot wrap data (firmware 2.4 answers INVALID_DATA for a key without wrap-data).');
  }
  return ccmWrapData(key.material, q.data, ctx.device.random(CCM_NONCE_LENGTH));
});
