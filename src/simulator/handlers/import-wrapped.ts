/**
 * Import Wrapped 0x4B: import-wrapped on the session and an AES-CCM wrap key (RSA: INVALID_DATA). A blob that does
 * not authenticate, or whose header or body is inconsistent, is INVALID_DATA; capabilities outside the wrap key's
 * delegated set INSUFFICIENT_PERMISSIONS; an occupied (type, id) OBJECT_EXISTS. The object keeps its metadata and
 * sequence; origin gets 0x10 (a generated key comes back as 0x11). Response: type ‖ id.
 */
import { aesCcmUnwrap } from '../../crypto/aes-ccm.js';
import { isRsaAlgorithm } from '../../protocol/algorithms.js';
import { importWrapped } from '../../protocol/commands/import-wrapped.js';
import { ObjectType } from '../../protocol/object-types.js';
import { findVisible, requireSessionCapability, requireUse } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';
import { restoreWrappedObject } from '../wrap-format.js';

export const importWrappedHandler = defineHandler(importWrapped, (ctx, q) => {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, 'import-wrapped');
  const wrapKey = findVisible(ctx.contents, auth, ObjectType.WRAP_KEY, q.wrapKeyId);
  ctx.audit.second = wrapKey.id;
  if (isRsaAlgorithm(wrapKey.algorithm)) fail(E.INVALID_DATA, 'ImportWrapped needs an AES-CCM wrap key; use 0x77 with an RSA wrap key.');
  requireUse(auth, wrapKey, 'import-wrapped');
  const plaintext = aesCcmUnwrap(wrapKey.material, q.wrapped);
  if (!plaintext) fail(E.INVALID_DATA, 'The wrapped object does not authenticate under this wrap key.');
  try {
    return restoreWrappedObject(ctx, auth, wrapKey, plaintext, wrapKey.algorithm);
  } finally {
    plaintext.fill(0);
  }
});
