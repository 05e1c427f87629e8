/**
 * Put RSA Wrapped Key 0x75 (firmware 2.4), PROTOCOL.md 5.8 and 6.2: import-wrapped on the session and the RSA
 * wrap key (type 4, algorithm 9/10/11; an AES wrap key is INVALID_DATA). The blob is OAEP-decrypted with the
 * sent lHash, KWP-unwrapped and parsed: PKCS#8 for an asymmetric key (its algorithm must be the one requested,
 * every ECPrivateKey variant is accepted), the raw AES key for a symmetric key. Capabilities within the wrap
 * key's delegated set, domains within the session's, (type, id) free. The object gets origin 0x12.
 */
import { parsePkcs8 } from '../../crypto/pkcs8.js';
import { rsaAesUnwrap, rsaOaepParamsFromSelectors } from '../../crypto/rsa-aes-wrap.js';
import { aesKeySizes, algorithmName, isRsaAlgorithm, validKeyAlgorithmsFor, type AlgorithmCode } from '../../protocol/algorithms.js';
import { putRsaWrappedKey } from '../../protocol/commands/put-rsa-wrapped-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { checkImport, findVisible, requireSessionCapability } from '../access.js';
import { rawLabel } from '../create.js';
import { E, fail } from '../fail.js';
import { defineHandler, requireAlgorithmEnabled, sessionAuth } from '../handler.js';
import { objectLength, privateKeyOf, bodyLength } from '../objects.js';
import { Origin } from '../state.js';
import { allocateId, checkRoom, insertObject } from '../store.js';

export const putRsaWrappedKeyHandler = defineHandler(putRsaWrappedKey, (ctx, q) => {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, 'import-wrapped');
  const wrapKey = findVisible(ctx.contents, auth, ObjectType.WRAP_KEY, q.wrapKeyId);
  ctx.audit.second = wrapKey.id;
  if (!isRsaAlgorithm(wrapKey.algorithm)) fail(E.INVALID_DATA, 'PutRsaWrappedKey needs an RSA wrap key.');
  if (q.type !== ObjectType.ASYMMETRIC_KEY && q.type !== ObjectType.SYMMETRIC_KEY) {
    fail(E.INVALID_DATA, 'PutRsaWrappedKey imports asymmetric (3) or symmetric (8) keys only.');
  }
  if (!validKeyAlgorithmsFor(q.type).includes(q.algorithm)) fail(E.INVALID_DATA, `Algorithm ${algorithmName(q.algorithm)} is not valid for this type.`);
  requireAlgorithmEnabled(ctx, q.algorithm);
  if (q.domains === 0 || (q.domains & ~auth.domains) !== 0) fail(E.INSUFFICIENT_PERMISSIONS, 'Requested domains are not all domains of the session key.');
  checkImport(ctx.contents, auth, wrapKey, { type: q.type, id: q.id, capabilities: q.capabilities });
  const params = rsaOaepParamsFromSelectors(q.oaepAlgorithm, q.mgf1Algorithm, q.lHash);
  const { payload, ephemeralKey } = rsaAesUnwrap(privateKeyOf(wrapKey), q.blob, params);
  ephemeralKey.fill(0);
  let material: Uint8Array;
  try {
    if (q.type === ObjectType.SYMMETRIC_KEY) {
      if (payload.length !== aesKeySizes[q.algorithm as AlgorithmCode]) fail(E.INVALID_DATA, 'The unwrapped AES key does not have the requested size.');
      material = payload.slice();
    } else {
      const raw = parsePkcs8(payload);
      if (raw.algorithm !== q.algorithm) fail(E.INVALID_DATA, `The unwrapped key is ${algorithmName(raw.algorithm)}, not ${algorithmName(q.algorithm)}.`);
      material = raw.material;
    }
  } finally {
    payload.fill(0);
  }
  const id = allocateId(ctx.contents, q.type, q.id);
  checkRoom(ctx.contents, bodyLength(q.type, q.algorithm, material), objectLength);
  insertObject(ctx.contents, {
    type: q.type, id, algorithm: q.algorithm, label: rawLabel(q.label), domains: q.domains, capabilities: q.capabilities,
    delegated: 0n, origin: Origin.IMPORTED | Origin.WRAPPED, material,
  });
  ctx.audit.target = id;
  ctx.changed();
  return { type: q.type, id };
});
