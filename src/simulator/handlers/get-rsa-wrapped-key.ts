/**
 * Get RSA Wrapped Key 0x74 (firmware 2.4), PROTOCOL.md 5.8 and 6: export-wrapped on the session and the public
 * wrap key (type 9); the target, an asymmetric key (type 3) or symmetric key (type 8), must be
 * exportable-under-wrap with every capability within the wrap key's delegated set (4.4 rule 6). The key material
 * alone is wrapped: PKCS#8 (EC keys in the OpenSSL form, 138 bytes for P-256) or the raw AES key, under
 * AES-KWP with a fresh ephemeral key, itself RSA-OAEP encrypted with the sent lHash: C1 ‖ C2.
 * Any other target type is INVALID_DATA (libyubihsm refuses it client-side).
 */
import { encodePkcs8 } from '../../crypto/pkcs8.js';
import { rsaAesParamsFromSelectors, rsaAesWrap } from '../../crypto/rsa-aes-wrap.js';
import { Algorithm } from '../../protocol/algorithms.js';
import { getRsaWrappedKey } from '../../protocol/commands/get-rsa-wrapped-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { checkExport, findVisible, requireSessionCapability } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, requireAlgorithmEnabled, sessionAuth } from '../handler.js';
import { isExpandedEd25519, publicKeyOf } from '../objects.js';

export const getRsaWrappedKeyHandler = defineHandler(getRsaWrappedKey, (ctx, q) => {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, 'export-wrapped');
  const wrapKey = findVisible(ctx.contents, auth, ObjectType.PUBLIC_WRAP_KEY, q.wrapKeyId);
  if (q.type !== ObjectType.ASYMMETRIC_KEY && q.type !== ObjectType.SYMMETRIC_KEY) {
    fail(E.INVALID_DATA, 'GetRsaWrappedKey exports asymmetric (3) or symmetric (8) keys only; use ExportRsaWrapped for other objects.');
  }
  const target = findVisible(ctx.contents, auth, q.type, q.id);
  ctx.audit.target = target.id;
  ctx.audit.second = wrapKey.id;
  checkExport(auth, wrapKey, target);
  const params = rsaAesParamsFromSelectors(q.aesAlgorithm, q.oaepAlgorithm, q.mgf1Algorithm, q.lHash);
  for (const a of [q.aesAlgorithm, q.oaepAlgorithm, q.mgf1Algorithm, Algorithm.AES_KWP]) requireAlgorithmEnabled(ctx, a);
  if (isExpandedEd25519(target)) fail(E.INVALID_DATA, 'This Ed25519 key was restored without its seed; it cannot be exported as PKCS#8.');
  const payload = target.type === ObjectType.SYMMETRIC_KEY ? target.material.slice() : encodePkcs8(target.algorithm, target.material);
  try {
    return rsaAesWrap(publicKeyOf(wrapKey), payload, params);
  } finally {
    payload.fill(0);
  }
});
