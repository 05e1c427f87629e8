/**
 * CreateKey: symmetric, HMAC, RSA and ECC keys with Origin AWS_KMS (material generated here) or EXTERNAL
 * (PendingImport until ImportKeyMaterial); multi-Region primaries get an `mrk-` key ID.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html
 */
import { keyMaterialId } from '../../../crypto/kms-symmetric.js';
import { randomBytes, randomUuid } from '../../../crypto/random.js';
import type { KeySpec, KeyUsageType, OriginType } from '../../model/enums.js';
import { keySpecs } from '../../model/key-specs.js';
import type { Tag } from '../../model/shapes.js';
import { keyArn } from '../arns.js';
import type { Handler } from '../context.js';
import { keyMetadata } from '../key-metadata.js';
import { KmsException } from '../kms-exception.js';
import { generateMaterial } from '../material.js';
import { checkedPolicy } from '../policy.js';
import type { KeyRecord } from '../records.js';
import { mergeTags } from '../tags.js';

interface CreateKeyInput {
  Policy?: string;
  Description?: string;
  KeyUsage?: KeyUsageType;
  CustomerMasterKeySpec?: KeySpec;
  KeySpec?: KeySpec;
  Origin?: OriginType;
  CustomKeyStoreId?: string;
  Tags?: Tag[];
  MultiRegion?: boolean;
  XksKeyId?: string;
}

export const createKey: Handler = async (raw, ctx) => {
  const input = raw as CreateKeyInput;
  if (input.KeySpec && input.CustomerMasterKeySpec && input.KeySpec !== input.CustomerMasterKeySpec) {
    throw new KmsException('ValidationException', 'You cannot specify both KeySpec and CustomerMasterKeySpec; use KeySpec.');
  }
  const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  const info = keySpecs[spec];
  const origin = input.Origin ?? 'AWS_KMS';
  if (origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE' || input.CustomKeyStoreId !== undefined || input.XksKeyId !== undefined) {
    throw new KmsException('UnsupportedOperationException', 'Custom key stores are not available in this local KMS server; use Origin AWS_KMS or EXTERNAL.');
  }
  if (info.family === 'unsupported') {
    throw new KmsException('UnsupportedOperationException', `KeySpec ${spec} is not available in this local KMS server.`);
  }
  if (input.KeyUsage === undefined && spec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsException('ValidationException', 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  }
  const usage = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
  if (!info.usages.includes(usage)) {
    throw new KmsException('ValidationException', `KeyUsage ${usage} is not valid for KeySpec ${spec}; use ${info.usages.join(' or ')}.`);
  }
  const policy = checkedPolicy(input.Policy, ctx.account);
  const tags = mergeTags([], input.Tags ?? []);
  const multiRegion = input.MultiRegion === true;
  const keyId = multiRegion ? `mrk-${Buffer.from(randomBytes(16)).toString('hex')}` : randomUuid();
  const key: KeyRecord = {
    account: ctx.account,
    region: ctx.region,
    keyId,
    arn: keyArn(ctx.region, ctx.account, keyId),
    createdAt: ctx.now,
    description: input.Description ?? '',
    keySpec: spec,
    keyUsage: usage,
    origin,
    multiRegion,
    ...(multiRegion ? { primaryRegion: ctx.region } : {}),
    policy,
    enabled: true,
    tags,
    materials: [],
  };
  if (origin === 'AWS_KMS') {
    const material = await generateMaterial(spec);
    key.materials.push({ id: keyMaterialId(ctx.kms.store.materialIdKey, keyId, material), material, state: 'CURRENT' });
  }
  ctx.kms.store.putKey(key);
  return { KeyMetadata: keyMetadata(key, ctx) };
};
