/**
 * Sign PKCS#1 v1.5 0x47: capability sign-pkcs on the session and an RSA key. The input is a bare SHA-1/256/384/512
 * digest (the device adds the DigestInfo) or a whole DigestInfo; anything else is INVALID_DATA.
 */
import { hashForDigestLength, pkcs1DigestInfoFor, rsaPkcs1SignDigest } from '../../crypto/rsa-sign.js';
import { isRsaAlgorithm } from '../../protocol/algorithms.js';
import { signPkcs1 } from '../../protocol/commands/sign-pkcs1.js';
import { ObjectType } from '../../protocol/object-types.js';
import { useObject } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, requireAlgorithmEnabled, sessionAuth } from '../handler.js';
import { privateKeyOf } from '../objects.js';

const MECHANISM: Record<string, number> = { sha1: 1, sha256: 2, sha384: 3, sha512: 4 };

export const signPkcs1Handler = defineHandler(signPkcs1, (ctx, q) => {
  const key = useObject(ctx.contents, sessionAuth(ctx), ObjectType.ASYMMETRIC_KEY, q.keyId, 'sign-pkcs');
  ctx.audit.target = key.id;
  if (!isRsaAlgorithm(key.algorithm)) fail(E.INVALID_DATA, 'SignPkcs1 needs an RSA key.');
  pkcs1DigestInfoFor(q.data);
  const hash = hashForDigestLength(q.data.length);
  if (hash) requireAlgorithmEnabled(ctx, MECHANISM[hash]);
  return rsaPkcs1SignDigest(privateKeyOf(key), q.data);
});
