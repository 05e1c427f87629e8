/**
 * Import RSA Wrapped 0x77 (firmware 2.4): import-wrapped on the session and an RSA wrap key (type 4, 9/10/11);
 * OAEP-decrypt with the sent lHash, KWP-unwrap, restore the whole object written by 0x76 (wrap-format.ts).
 * Origin gets 0x10. Response: type ‖ id.
 */
import { rsaAesUnwrap, rsaOaepParamsFromSelectors } from '../../crypto/rsa-aes-wrap.js';
import { isRsaAlgorithm } from '../../protocol/algorithms.js';
import { importRsaWrapped } from '../../protocol/commands/import-rsa-wrapped.js';
import { ObjectType } from '../../protocol/object-types.js';
import { findVisible, requireSessionCapability, requireUse } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';
import { privateKeyOf } from '../objects.js';
import { restoreWrappedObject } from '../wrap-format.js';

export const importRsaWrappedHandler = defineHandler(importRsaWrapped, (ctx, q) => {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, 'import-wrapped');
  const wrapKey = findVisible(ctx.contents, auth, ObjectType.WRAP_KEY, q.wrapKeyId);
  ctx.audit.second = wrapKey.id;
  if (!isRsaAlgorithm(wrapKey.algorithm)) fail(E.INVALID_DATA, 'ImportRsaWrapped needs an RSA wrap key.');
  requireUse(auth, wrapKey, 'import-wrapped');
  const params = rsaOaepParamsFromSelectors(q.oaepAlgorithm, q.mgf1Algorithm, q.lHash);
  const { payload, ephemeralKey } = rsaAesUnwrap(privateKeyOf(wrapKey), q.blob, params);
  ephemeralKey.fill(0);
  try {
    return restoreWrappedObject(ctx, auth, wrapKey, payload);
  } finally {
    payload.fill(0);
  }
});
