/**
 * Sign PSS 0x55: capability sign-pss on the session and an RSA key; the PSS hash follows from the digest length,
 * MGF1 from the selector (32-35, INVALID_DATA otherwise), any salt length that fits the key (INVALID_DATA otherwise).
 */
import { rsaPssSignDigest } from '../../crypto/rsa-sign.js';
import { isRsaAlgorithm, mgf1Hashes, rsaSizes, type Mgf1Algorithm } from '../../protocol/algorithms.js';
import { signPss } from '../../protocol/commands/sign-pss.js';
import { ObjectType } from '../../protocol/object-types.js';
import { useObject } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, requireAlgorithmEnabled, sessionAuth } from '../handler.js';
import { privateKeyOf } from '../objects.js';

const MECHANISM_BY_LENGTH: Record<number, number> = { 20: 5, 32: 6, 48: 7, 64: 8 };

export const signPssHandler = defineHandler(signPss, (ctx, q) => {
  const key = useObject(ctx.contents, sessionAuth(ctx), ObjectType.ASYMMETRIC_KEY, q.keyId, 'sign-pss');
  ctx.audit.target = key.id;
  if (!isRsaAlgorithm(key.algorithm)) fail(E.INVALID_DATA, 'SignPss needs an RSA key.');
  const mgf1Hash = mgf1Hashes[q.mgf1Algorithm as Mgf1Algorithm];
  if (!mgf1Hash) fail(E.INVALID_DATA, `MGF1 algorithm ${q.mgf1Algorithm} is not one of 32-35.`);
  requireAlgorithmEnabled(ctx, MECHANISM_BY_LENGTH[q.digest.length]);
  requireAlgorithmEnabled(ctx, q.mgf1Algorithm);
  // emLen = ceil((8k - 1) / 8) = k for the YubiHSM's whole-byte moduli.
  if (rsaSizes[key.algorithm] < q.digest.length + q.saltLength + 2) fail(E.INVALID_DATA, `Salt length ${q.saltLength} does not fit this key.`);
  return rsaPssSignDigest(privateKeyOf(key), q.digest, { mgf1Hash, saltLength: q.saltLength });
});
