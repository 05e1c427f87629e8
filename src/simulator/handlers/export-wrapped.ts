/**
 * Export Wrapped 0x4A: export-wrapped on the session and an AES-CCM wrap key (an RSA wrap key is INVALID_DATA);
 * the object must be exportable-under-wrap with every capability in the wrap key's delegated set (PROTOCOL.md
 * 4.4 rule 6). Response: nonce(13, device RNG) ‖ AES-CCM(59-byte header ‖ body) ‖ tag(16), PROTOCOL.md 5.5.
 * Format 1 keeps an Ed25519 key's seed (simulator's own body layout, see wrap-format.ts).
 */
import { aesCcmWrap, CCM_NONCE_LENGTH } from '../../crypto/aes-ccm.js';
import { isRsaAlgorithm } from '../../protocol/algorithms.js';
import { exportWrapped } from '../../protocol/commands/export-wrapped.js';
import { ObjectType } from '../../protocol/object-types.js';
import { checkExport, findVisible, requireSessionCapability } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';
import { wrappedObjectPlaintext } from '../wrap-format.js';

export const exportWrappedHandler = defineHandler(exportWrapped, (ctx, q) => {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, 'export-wrapped');
  const wrapKey = findVisible(ctx.contents, auth, ObjectType.WRAP_KEY, q.wrapKeyId);
  if (isRsaAlgorithm(wrapKey.algorithm)) fail(E.INVALID_DATA, 'An RSA wrap key only imports; export with a public wrap key (0x74/0x76).');
  const target = findVisible(ctx.contents, auth, q.type, q.id);
  ctx.audit.target = target.id;
  ctx.audit.second = wrapKey.id;
  checkExport(auth, wrapKey, target);
  const plaintext = wrappedObjectPlaintext(target, wrapKey.algorithm, q.format === 1);
  try {
    return aesCcmWrap(wrapKey.material, plaintext, ctx.device.random(CCM_NONCE_LENGTH));
  } finally {
    plaintext.fill(0);
  }
});
