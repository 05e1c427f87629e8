/**
 * Seed step 2: create the EXTERNAL-origin KMS key (spec and usage from the HSM key), with the key policy naming
 * the administrators and users, the ceremony tag, and the alias. Idempotent: the key is looked up by journal ARN,
 * by alias, and (after a crash right after CreateKey) by the ceremony tag before anything is created.
 */
import { accountIdFromArn, keyPolicyJson } from '../../kms/client/key-policy.js';
import type { KmsKey } from '../../kms/client/port.js';
import type { CeremonyContext, CeremonyStep } from '../context.js';
import { CeremonyError } from '../errors.js';
import { CEREMONY_TAG, findCeremonyKey, recoverCreatedKey } from './kms-keys.js';

async function existingKey(ctx: CeremonyContext): Promise<{ key: KmsKey; how: string } | undefined> {
  const f = ctx.journal.facts;
  if (f.kmsKeyArn) {
    const key = await findCeremonyKey(ctx, f.kmsKeyArn);
    if (key) return { key, how: 'recorded in the journal' };
  }
  const alias = await ctx.kms.findAlias(ctx.config.kms.alias);
  if (alias?.targetKeyId) {
    const key = await findCeremonyKey(ctx, alias.targetKeyId);
    if (key) return { key, how: `found by ${ctx.config.kms.alias}` };
    throw new CeremonyError('KMS_ALIAS_TAKEN', `KMS alias ${ctx.config.kms.alias} points to key ${alias.targetKeyId}, which this ceremony did not create; choose another --alias.`);
  }
  if (f.createKeyStartedAt) {
    const key = await recoverCreatedKey(ctx);
    if (key) return { key, how: `found by its ${CEREMONY_TAG} tag after an interrupted run` };
  }
  return undefined;
}

function policyFor(ctx: CeremonyContext): string | undefined {
  const k = ctx.config.kms;
  if (k.administrators.length === 0 && k.users.length === 0) return undefined;
  const accountId = accountIdFromArn([...k.administrators, ...k.users][0]);
  if (!accountId) throw new CeremonyError('KMS_POLICY_ACCOUNT', 'Cannot tell the account id from the administrator/user ARNs; give full IAM ARNs such as arn:aws:iam::111122223333:role/Admin.');
  return keyPolicyJson({ accountId, administrators: k.administrators, users: k.users, keyUsage: ctx.config.key.usage, origin: 'EXTERNAL' });
}

export const kmsCreateKey: CeremonyStep = {
  name: 'kms-create-key',
  async run(ctx) {
    const c = ctx.config;
    let found = await existingKey(ctx);
    let outcome: string;
    if (found) {
      const { key } = found;
      if (key.keyState === 'PendingDeletion') {
        throw new CeremonyError('KMS_KEY_PENDING_DELETION', `KMS key ${key.arn} of this ceremony is scheduled for deletion; cancel the deletion (aws kms cancel-key-deletion --key-id ${key.keyId}) and re-run, or start a new ceremony with another --alias and --work-dir.`);
      }
      if (key.origin !== 'EXTERNAL' || key.keySpec !== c.key.keySpec || key.keyUsage !== c.key.usage) {
        throw new CeremonyError('KMS_KEY_MISMATCH', `KMS key ${key.arn} is ${key.origin} ${key.keySpec} ${key.keyUsage}, not EXTERNAL ${c.key.keySpec} ${c.key.usage}; this ceremony cannot continue with it.`);
      }
      outcome = `${key.arn} (${found.how})`;
    } else {
      const policy = policyFor(ctx);
      ctx.journal.setFacts({ createKeyStartedAt: ctx.now().toISOString() });
      await ctx.checkpoint('kms-create-key:before-create');
      const tags = [{ key: CEREMONY_TAG, value: ctx.journal.ceremonyId }, ...Object.entries(c.kms.tags).map(([key, value]) => ({ key, value }))];
      const key = await ctx.kms.createKey({
        keySpec: c.key.keySpec,
        keyUsage: c.key.usage,
        origin: 'EXTERNAL',
        description: c.kms.description,
        tags,
        multiRegion: c.kms.multiRegion,
        ...(policy ? { policy } : {}),
      });
      await ctx.checkpoint('kms-create-key:after-create');
      found = { key, how: 'created' };
      outcome = `created ${key.arn}`;
    }
    ctx.journal.setFacts({ kmsKeyArn: found.key.arn, kmsKeyId: found.key.keyId });
    await ctx.checkpoint('kms-create-key:before-alias');
    const alias = await ctx.kms.findAlias(c.kms.alias);
    if (!alias) {
      await ctx.kms.createAlias(c.kms.alias, found.key.keyId);
      await ctx.checkpoint('kms-create-key:after-alias');
      outcome += `; alias ${c.kms.alias} created`;
    }
    ctx.state.kmsKey = await ctx.kms.describeKey(found.key.keyId);
    return outcome;
  },
};
