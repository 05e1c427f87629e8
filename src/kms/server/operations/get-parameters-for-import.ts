/**
 * GetParametersForImport: an RSA wrapping public key (SubjectPublicKeyInfo DER) and an import token bound to this
 * KMS key, the wrapping algorithm and that wrapping key, valid for 24 hours (KMS-SPEC 1.2).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html
 */
import type { AlgorithmSpec, WrappingKeySpec } from '../../model/enums.js';
import { wrappingKeyBits } from '../../model/key-specs.js';
import { assertExternal, assertNotPendingDeletion, b64, resolveKey, seconds, type Handler } from '../context.js';
import { sealImportToken } from '../import-token.js';
import { KmsException } from '../kms-exception.js';
import { wrappingKeyFor } from '../wrapping-keys.js';

export const getParametersForImport: Handler = async (input, ctx) => {
  const algorithm = input.WrappingAlgorithm as AlgorithmSpec;
  const spec = input.WrappingKeySpec as WrappingKeySpec;
  const key = resolveKey(ctx, input.KeyId as string, false);
  assertExternal(key);
  assertNotPendingDeletion(key);
  if (algorithm === 'RSAES_PKCS1_V1_5') {
    throw new KmsException('ValidationException',
      'The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported; use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.');
  }
  if (algorithm === 'SM2PKE' || spec === 'SM2') {
    throw new KmsException('ValidationException',
      'SM2 wrapping keys and the SM2PKE algorithm are available only in China Regions; use an RSA wrapping key spec.');
  }
  const wrapping = await wrappingKeyFor(ctx, ctx.kms.wrappingKeys, key, spec, wrappingKeyBits[spec]);
  const expiresAt = ctx.now + ctx.kms.tokenLifetimeMs;
  const token = sealImportToken(ctx.kms.store.tokenKey, {
    account: key.account, region: key.region, keyId: key.keyId, wrappingAlgorithm: algorithm,
    wrappingKeyId: wrapping.id, issuedAt: ctx.now, expiresAt,
  });
  return { KeyId: key.arn, ImportToken: b64(token), PublicKey: b64(wrapping.spki), ParametersValidTo: seconds(expiresAt) };
};
