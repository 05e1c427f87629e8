/**
 * Decrypt OAEP 0x59: capability decrypt-oaep on the session and an RSA key; the OAEP hash follows from the lHash
 * length, MGF1 from the selector (32-35); the ciphertext must be k bytes for this key (WRONG_LENGTH). Any
 * decryption failure is INVALID_DATA.
 */
import { rsaOaepDecrypt } from '../../crypto/rsa-oaep.js';
import { hashForDigestLength } from '../../crypto/rsa-sign.js';
import { isRsaAlgorithm, mgf1Hashes, rsaSizes, type Mgf1Algorithm } from '../../protocol/algorithms.js';
import { decryptOaep } from '../../protocol/commands/decrypt-oaep.js';
import { ObjectType } from '../../protocol/object-types.js';
import { useObject } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, requireAlgorithmEnabled, sessionAuth } from '../handler.js';
import { privateKeyOf } from '../objects.js';

const MECHANISM: Record<string, number> = { sha1: 25, sha256: 26, sha384: 27, sha512: 28 };

export const decryptOaepHandler = defineHandler(decryptOaep, (ctx, q) => {
  const key = useObject(ctx.contents, sessionAuth(ctx), ObjectType.ASYMMETRIC_KEY, q.keyId, 'decrypt-oaep');
  ctx.audit.target = key.id;
  if (!isRsaAlgorithm(key.algorithm)) fail(E.INVALID_DATA, 'DecryptOaep needs an RSA key.');
  if (q.ciphertext.length !== rsaSizes[key.algorithm]) fail(E.WRONG_LENGTH, `The ciphertext must be ${rsaSizes[key.algorithm]} bytes.`);
  const mgf1Hash = mgf1Hashes[q.mgf1Algorithm as Mgf1Algorithm];
  if (!mgf1Hash) fail(E.INVALID_DATA, `MGF1 algorithm ${q.mgf1Algorithm} is not one of 32-35.`);
  const hash = hashForDigestLength(q.lHash.length);
  if (!hash) fail(E.WRONG_LENGTH, 'The lHash must be 20, 32, 48 or 64 bytes.');
  requireAlgorithmEnabled(ctx, MECHANISM[hash]);
  requireAlgorithmEnabled(ctx, q.mgf1Algorithm);
  const m = rsaOaepDecrypt(privateKeyOf(key), q.ciphertext, { hash, mgf1Hash, lHash: q.lHash });
  if (!m) fail(E.INVALID_DATA, 'The ciphertext does not decrypt with these OAEP parameters.');
  return m;
});
