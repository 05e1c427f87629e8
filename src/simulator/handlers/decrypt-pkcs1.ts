/**
 * Decrypt PKCS#1 v1.5 0x49: capability decrypt-pkcs on the session and an RSA key; the ciphertext is exactly k
 * bytes (WRONG_LENGTH otherwise); bad padding is INVALID_DATA. Response: the message.
 */
import { rsaPrivateRaw } from '../../crypto/rsa-oaep.js';
import { pkcs1v15Unpad } from '../../crypto/sim-primitives.js';
import { Algorithm, isRsaAlgorithm, rsaSizes } from '../../protocol/algorithms.js';
import { decryptPkcs1 } from '../../protocol/commands/decrypt-pkcs1.js';
import { ObjectType } from '../../protocol/object-types.js';
import { useObject } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, requireAlgorithmEnabled, sessionAuth } from '../handler.js';
import { privateKeyOf } from '../objects.js';

export const decryptPkcs1Handler = defineHandler(decryptPkcs1, (ctx, q) => {
  const key = useObject(ctx.contents, sessionAuth(ctx), ObjectType.ASYMMETRIC_KEY, q.keyId, 'decrypt-pkcs');
  ctx.audit.target = key.id;
  if (!isRsaAlgorithm(key.algorithm)) fail(E.INVALID_DATA, 'DecryptPkcs1 needs an RSA key.');
  requireAlgorithmEnabled(ctx, Algorithm.RSA_PKCS1_DECRYPT);
  if (q.data.length !== rsaSizes[key.algorithm]) fail(E.WRONG_LENGTH, `The ciphertext must be ${rsaSizes[key.algorithm]} bytes.`);
  const em = rsaPrivateRaw(privateKeyOf(key), q.data);
  const message = em && pkcs1v15Unpad(em);
  em?.fill(0);
  if (!message) fail(E.INVALID_DATA, 'The ciphertext does not decrypt to a PKCS#1 v1.5 block.');
  return message;
});
