/**
 * Derive ECDH 0x57: capability derive-ecdh on the session and an EC key (not Ed25519); the peer point is
 * 04 ‖ X ‖ Y on the key's curve (INVALID_DATA otherwise). Response: the shared secret's X coordinate (f bytes).
 */
import { ecdhSharedX } from '../../crypto/sim-primitives.js';
import { Algorithm, ecCurves, isEcAlgorithm } from '../../protocol/algorithms.js';
import { deriveEcdh } from '../../protocol/commands/derive-ecdh.js';
import { ObjectType } from '../../protocol/object-types.js';
import { useObject } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, requireAlgorithmEnabled, sessionAuth } from '../handler.js';

export const deriveEcdhHandler = defineHandler(deriveEcdh, (ctx, q) => {
  const key = useObject(ctx.contents, sessionAuth(ctx), ObjectType.ASYMMETRIC_KEY, q.keyId, 'derive-ecdh');
  ctx.audit.target = key.id;
  if (!isEcAlgorithm(key.algorithm)) fail(E.INVALID_DATA, 'DeriveEcdh needs an EC key.');
  requireAlgorithmEnabled(ctx, Algorithm.EC_ECDH);
  const { size, nodeCurve } = ecCurves[key.algorithm];
  if (q.data.length !== 2 * size + 1 || q.data[0] !== 0x04) fail(E.INVALID_DATA, `The peer key must be an uncompressed ${nodeCurve} point.`);
  return ecdhSharedX(nodeCurve, key.material, q.data);
});
