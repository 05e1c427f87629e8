/**
 * Export RSA Wrapped 0x76 (firmware 2.4): the checks of 0x74 (export-wrapped on the session and the public wrap
 * key, exportable-under-wrap, capabilities within the delegated set) for any object type; the KWP payload is the
 * whole object, header ‖ body (the 5.5 layout, header byte 0 = the CCM algorithm of the same AES size). This
 * inner record is the simulator's own: real devices' 0x76 blobs are undocumented and do not interoperate.
 */
import { rsaAesParamsFromSelectors, rsaAesWrap } from '../../crypto/rsa-aes-wrap.js';
import { Algorithm } from '../../protocol/algorithms.js';
import { exportRsaWrapped } from '../../protocol/commands/export-rsa-wrapped.js';
import { ObjectType } from '../../protocol/object-types.js';
import { checkExport, findVisible, requireSessionCapability } from '../access.js';
import { defineHandler, requireAlgorithmEnabled, sessionAuth } from '../handler.js';
import { publicKeyOf } from '../objects.js';
import { wrappedObjectPlaintext } from '../wrap-format.js';

/** aes128/192/256 (50/51/52) -> aes128/192/256-ccm-wrap (29/41/42). */
export const CCM_ALGORITHM_FOR_AES: Record<number, number> = { 50: 29, 51: 41, 52: 42 };

export const exportRsaWrappedHandler = defineHandler(exportRsaWrapped, (ctx, q) => {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, 'export-wrapped');
  const wrapKey = findVisible(ctx.contents, auth, ObjectType.PUBLIC_WRAP_KEY, q.wrapKeyId);
  const target = findVisible(ctx.contents, auth, q.type, q.id);
  ctx.audit.target = target.id;
  ctx.audit.second = wrapKey.id;
  checkExport(auth, wrapKey, target);
  const params = rsaAesParamsFromSelectors(q.aesAlgorithm, q.oaepAlgorithm, q.mgf1Algorithm, q.lHash);
  for (const a of [q.aesAlgorithm, q.oaepAlgorithm, q.mgf1Algorithm, Algorithm.AES_KWP]) requireAlgorithmEnabled(ctx, a);
  const plaintext = wrappedObjectPlaintext(target, CCM_ALGORITHM_FOR_AES[q.aesAlgorithm], true);
  try {
    return rsaAesWrap(publicKeyOf(wrapKey), plaintext, params);
  } finally {
    plaintext.fill(0);
  }
});
