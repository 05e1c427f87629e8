/**
 * GetPublicKey: the SubjectPublicKeyInfo DER of an asymmetric key, byte for byte what a standard library derives
 * from its private key (KMS-SPEC 3), with the key's spec, usage and algorithms.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html
 */
import { KmsAsymmetricKey } from '../../../crypto/kms-signing.js';
import { encryptionAlgorithmsFor, keySpecs, signingAlgorithmsFor } from '../../model/key-specs.js';
import { assertUsable, b64, resolveKey, type Handler } from '../context.js';
import { KmsException } from '../kms-exception.js';
import { currentMaterial } from '../records.js';

export const getPublicKey: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, true);
  assertUsable(key);
  const family = keySpecs[key.keySpec].family;
  const material = currentMaterial(key)?.material;
  if ((family !== 'rsa' && family !== 'ecc') || !material) {
    throw new KmsException('UnsupportedOperationException', `${key.arn} is a ${key.keySpec} key; GetPublicKey works only for asymmetric KMS keys.`);
  }
  const out: Record<string, unknown> = {
    KeyId: key.arn,
    PublicKey: b64(KmsAsymmetricKey.of(material).spki),
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
  };
  if (key.keyUsage === 'SIGN_VERIFY') out.SigningAlgorithms = signingAlgorithmsFor(key.keySpec);
  else if (key.keyUsage === 'ENCRYPT_DECRYPT') out.EncryptionAlgorithms = encryptionAlgorithmsFor(key.keySpec);
  else if (key.keyUsage === 'KEY_AGREEMENT') out.KeyAgreementAlgorithms = ['ECDH'];
  return out;
};
