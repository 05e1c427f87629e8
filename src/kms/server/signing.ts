/**
 * Shared checks of Sign and Verify (KMS-SPEC 3): a usable SIGN_VERIFY key, a signing algorithm of its key spec,
 * and for MessageType DIGEST a message of exactly the algorithm's digest length.
 */
import { KmsAsymmetricKey } from '../../crypto/kms-signing.js';
import type { MessageType, SigningAlgorithmSpec } from '../model/enums.js';
import { signingAlgorithms, signingAlgorithmsFor, type SigningAlgorithmInfo } from '../model/key-specs.js';
import { assertUsable, assertUsage, dryRunDone, resolveKey, type KmsContext } from './context.js';
import { KmsException } from './kms-exception.js';
import { currentMaterial, type KeyRecord } from './records.js';

export interface SigningRequest {
  key: KeyRecord;
  signer: KmsAsymmetricKey;
  algorithm: SigningAlgorithmSpec;
  info: SigningAlgorithmInfo;
  isDigest: boolean;
}

export function prepareSigning(ctx: KmsContext, input: Record<string, unknown>, operation: 'Sign' | 'Verify'): SigningRequest {
  const key = resolveKey(ctx, input.KeyId as string, true);
  assertUsable(key);
  assertUsage(key, 'SIGN_VERIFY', operation);
  const algorithm = input.SigningAlgorithm as SigningAlgorithmSpec;
  const info = signingAlgorithms[algorithm];
  if (!info || !signingAlgorithmsFor(key.keySpec).includes(algorithm)) {
    throw new KmsException('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`);
  }
  const messageType = (input.MessageType as MessageType | undefined) ?? 'RAW';
  if (messageType === 'EXTERNAL_MU') {
    throw new KmsException('ValidationException', `MessageType EXTERNAL_MU is valid only for ML_DSA keys; use RAW or DIGEST with ${algorithm}.`);
  }
  const message = input.Message as Uint8Array;
  const isDigest = messageType === 'DIGEST';
  if (isDigest && message.length !== info.digestLength) {
    throw new KmsException('ValidationException', `Digest is invalid length for algorithm ${algorithm}.`);
  }
  if (input.DryRun === true) dryRunDone();
  const material = currentMaterial(key)?.material;
  if (!material) throw new KmsException('KMSInvalidStateException', `${key.arn} is pending import.`);
  return { key, signer: KmsAsymmetricKey.of(material), algorithm, info, isDigest };
}
