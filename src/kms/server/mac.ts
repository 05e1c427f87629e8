/**
 * Shared checks of GenerateMac and VerifyMac: a usable GENERATE_VERIFY_MAC key and the MAC algorithm of its spec
 * (recorded message `Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.`).
 */
import type { MacAlgorithmSpec } from '../model/enums.js';
import { macAlgorithms, macAlgorithmsFor } from '../model/key-specs.js';
import { assertUsable, assertUsage, dryRunDone, resolveKey, type KmsContext } from './context.js';
import { KmsException } from './kms-exception.js';
import { currentMaterial, type KeyRecord } from './records.js';

export function prepareMac(ctx: KmsContext, input: Record<string, unknown>, operation: string):
  { key: KeyRecord; algorithm: MacAlgorithmSpec; hash: string; material: Uint8Array } {
  const key = resolveKey(ctx, input.KeyId as string, true);
  assertUsable(key);
  assertUsage(key, 'GENERATE_VERIFY_MAC', operation);
  const algorithm = input.MacAlgorithm as MacAlgorithmSpec;
  if (!macAlgorithmsFor(key.keySpec).includes(algorithm)) {
    throw new KmsException('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`);
  }
  if (input.DryRun === true) dryRunDone();
  const material = currentMaterial(key)?.material;
  if (!material) throw new KmsException('KMSInvalidStateException', `${key.arn} is pending import.`);
  return { key, algorithm, hash: macAlgorithms[algorithm], material };
}
