/**
 * Sign ECDSA 0x56: capability sign-ecdsa on the session and the key; an EC key (not Ed25519, not RSA: INVALID_DATA).
 * The digest is used as an integer and truncated to the group order's bit length (FIPS 186-5); leading zero bytes
 * beyond 64 bytes (a digest left-padded to P-521's 66 bytes) are padding, not digest bits. Response: DER
 * SEQUENCE { r, s }. The mechanism (ecdsa-sha1/256/384/512) follows from the digest length for the algorithm toggle.
 */
import { ecdsaSignDigestDer } from '../../crypto/ecdsa-der.js';
import { isEcAlgorithm } from '../../protocol/algorithms.js';
import { signEcdsa } from '../../protocol/commands/sign-ecdsa.js';
import { ObjectType } from '../../protocol/object-types.js';
import { useObject } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, requireAlgorithmEnabled, sessionAuth } from '../handler.js';

const MECHANISM_BY_DIGEST_LENGTH: Record<number, number> = { 20: 23, 32: 43, 48: 44, 64: 45 };

export const signEcdsaHandler = defineHandler(signEcdsa, (ctx, q) => {
  const key = useObject(ctx.contents, sessionAuth(ctx), ObjectType.ASYMMETRIC_KEY, q.keyId, 'sign-ecdsa');
  ctx.audit.target = key.id;
  if (!isEcAlgorithm(key.algorithm)) fail(E.INVALID_DATA, 'SignEcdsa needs an EC key.');
  if (q.digest.length > 66) fail(E.WRONG_LENGTH, `A ${q.digest.length}-byte digest is longer than any the device accepts (66).`);
  let digest = q.digest;
  while (digest.length > 64 && digest[0] === 0) digest = digest.subarray(1);
  const mechanism = MECHANISM_BY_DIGEST_LENGTH[digest.length];
  if (mechanism !== undefined) requireAlgorithmEnabled(ctx, mechanism);
  return ecdsaSignDigestDer(key.algorithm, key.material, digest);
});
