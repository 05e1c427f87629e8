/**
 * ReplicateKey: a replica of a multi-Region primary key in another Region of the same account, with the same key
 * ID, spec, usage and origin. AWS_KMS material is shared; EXTERNAL material is not copied (the replica is
 * PendingImport until the same material is imported there). The response shows the replica as `Creating`.
 * KMS-SPEC 1.7. https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html
 */
import type { Tag } from '../../model/shapes.js';
import { keyArn } from '../arns.js';
import { assertNotPendingDeletion, resolveKey, type Handler } from '../context.js';
import { keyMetadata } from '../key-metadata.js';
import { KmsException } from '../kms-exception.js';
import { checkedPolicy } from '../policy.js';
import type { KeyRecord } from '../records.js';
import { mergeTags } from '../tags.js';

export const replicateKey: Handler = (input, ctx) => {
  const key = resolveKey(ctx, input.KeyId as string, false);
  if (!key.multiRegion) throw new KmsException('UnsupportedOperationException', `${key.arn} is not a multi-region key.`);
  if (key.primaryRegion !== key.region) throw new KmsException('UnsupportedOperationException', `${key.arn} is not a multi-region primary key.`);
  assertNotPendingDeletion(key);
  const region = input.ReplicaRegion as string;
  if (region === key.region) {
    throw new KmsException('ValidationException', `The replica Region must differ from the primary key's Region ${key.region}.`);
  }
  const arn = keyArn(region, key.account, key.keyId);
  if (ctx.kms.store.getKey(key.account, region, key.keyId)) throw new KmsException('AlreadyExistsException', `Key '${arn}' already exists`);
  const policy = checkedPolicy(input.Policy as string | undefined, ctx.account);
  const tags = mergeTags([], (input.Tags as Tag[] | undefined) ?? []);
  const replica: KeyRecord = {
    account: key.account,
    region,
    keyId: key.keyId,
    arn,
    createdAt: ctx.now,
    description: (input.Description as string | undefined) ?? '',
    keySpec: key.keySpec,
    keyUsage: key.keyUsage,
    origin: key.origin,
    multiRegion: true,
    primaryRegion: key.region,
    policy,
    enabled: true,
    tags,
    materials: key.materials.map((m) => (key.origin === 'EXTERNAL'
      ? { id: m.id, material: undefined, state: m.state }
      : { ...m })),
  };
  ctx.kms.store.putKey(replica);
  return {
    ReplicaKeyMetadata: keyMetadata(replica, { ...ctx, region }, 'Creating'),
    ReplicaPolicy: policy,
    ReplicaTags: tags,
  };
};
