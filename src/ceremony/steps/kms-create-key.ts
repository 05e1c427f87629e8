/**
 * Seed step 2: create the EXTERNAL-origin KMS key (spec and usage from the HSM key), with the key policy naming
 * the administrators and users, the ceremony tag, and the alias. Idempotent: the key is looked up by journal ARN,
 * by alias, and (after a crash right after CreateKey) by the ceremony tag before anything is created. The alias
 * must end up on this key: one that points elsewhere is refused, and one ListAliases does not show yet (KMS is
 * eventually consistent) is recognised when CreateAlias says it exists.
 */
import { accountIdFromArn, keyPolicyJson } from '../../kms/client/key-policy.js';
import { KmsAlreadyExistsError, KmsServiceError, KmsUsageError } from '../../kms/client/errors.js';
import type { KmsKey } from '../../kms/client/port.js';
import type { CeremonyContext, CeremonyStep } from '../context.js';
import { CeremonyError } from '../errors.js';
import { CEREMONY_TAG, findCeremonyKey, recoverCreatedKey } from './kms-keys.js';
import { kmsCall, settledKey } from './kms-retry.js';

/** `beforeCreate`: refused before any key was created, so nothing changed (exit 4 in the CLI). */
function aliasTaken(ctx: CeremonyContext, target: string, beforeCreate = false): CeremonyError {
  return new CeremonyError('KMS_ALIAS_TAKEN', `KMS alias ${ctx.config.kms.alias} points to key ${target}, which this ceremony did not create; choose another --alias.`, { preflight: beforeCreate });
}

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
    throw aliasTaken(ctx, alias.targetKeyId, true);
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
  const first = [...k.administrators, ...k.users][0];
  const accountId = accountIdFromArn(first);
  if (!accountId) throw new CeremonyError('KMS_POLICY_ACCOUNT', 'Cannot tell the account id from the administrator/user ARNs; give full IAM ARNs such as arn:aws:iam::111122223333:role/Admin.');
  // The account root statement names the principals' partition (aws-cn, aws-us-gov) as they do.
  const partition = /^arn:([a-z-]+):/.exec(first)?.[1];
  return keyPolicyJson({ accountId, ...(partition ? { partition } : {}), administrators: k.administrators, users: k.users, keyUsage: ctx.config.key.usage, origin: 'EXTERNAL' });
}

/** CreateKey, remembering beforehand that a key may exist from here on (crash recovery by tag). */
async function createKey(ctx: CeremonyContext): Promise<KmsKey> {
  const c = ctx.config;
  const policy = policyFor(ctx);
  ctx.journal.setFacts({ createKeyStartedAt: ctx.now().toISOString() });
  await ctx.checkpoint('kms-create-key:before-create');
  const tags = [{ key: CEREMONY_TAG, value: ctx.journal.ceremonyId }, ...Object.entries(c.kms.tags).map(([key, value]) => ({ key, value }))];
  try {
    return await ctx.kms.createKey({
      keySpec: c.key.keySpec,
      keyUsage: c.key.usage,
      origin: 'EXTERNAL',
      description: c.kms.description,
      tags,
      multiRegion: c.kms.multiRegion,
      ...(policy ? { policy } : {}),
    });
  } catch (e) {
    // KMS refused the request (a key policy that would lock the caller out, a principal IAM does not know, access
    // denied, a quota) or it was never sent: no key exists, so no later run has to look for one, and the KMS
    // settings may still be corrected (runner.ts). A timeout or a server fault leaves the question open.
    if ((e instanceof KmsServiceError && e.fault === 'client') || e instanceof KmsUsageError) ctx.journal.setFacts({ createKeyStartedAt: undefined });
    throw e;
  }
}

/** Puts the alias on the key unless it is there already; returns what was done, for the outcome line. */
async function ensureAlias(ctx: CeremonyContext, key: KmsKey): Promise<string> {
  const name = ctx.config.kms.alias;
  const alias = await ctx.kms.findAlias(name);
  if (alias?.targetKeyId === key.keyId) return '';
  if (alias?.targetKeyId) throw aliasTaken(ctx, alias.targetKeyId);
  try {
    await kmsCall(ctx, 'CreateAlias', () => ctx.kms.createAlias(name, key.keyId));
  } catch (e) {
    if (!(e instanceof KmsAlreadyExistsError)) throw e;
    // ListAliases had not caught up with an alias made moments ago: it must point to this key.
    const target = await kmsCall(ctx, 'DescribeKey', () => ctx.kms.describeKey(name));
    if (target.keyId !== key.keyId) throw aliasTaken(ctx, target.keyId);
    return '';
  }
  await ctx.checkpoint('kms-create-key:after-alias');
  return `; alias ${name} created`;
}

export const kmsCreateKey: CeremonyStep = {
  name: 'kms-create-key',
  async run(ctx) {
    const c = ctx.config;
    const found = await existingKey(ctx);
    let key: KmsKey;
    let outcome: string;
    if (found) {
      key = found.key;
      if (key.keyState === 'PendingDeletion') {
        throw new CeremonyError('KMS_KEY_PENDING_DELETION', `KMS key ${key.arn} of this ceremony is scheduled for deletion; cancel the deletion (aws kms cancel-key-deletion --key-id ${key.keyId}) and re-run, or start a new ceremony with another --alias and --work-dir.`);
      }
      if (key.origin !== 'EXTERNAL' || key.keySpec !== c.key.keySpec || key.keyUsage !== c.key.usage) {
        throw new CeremonyError('KMS_KEY_MISMATCH', `KMS key ${key.arn} is ${key.origin} ${key.keySpec} ${key.keyUsage}, not EXTERNAL ${c.key.keySpec} ${c.key.usage}; this ceremony cannot continue with it.`);
      }
      outcome = `${key.arn} (${found.how})`;
    } else {
      key = await createKey(ctx);
      await ctx.checkpoint('kms-create-key:after-create');
      outcome = `created ${key.arn}`;
    }
    ctx.journal.setFacts({ kmsKeyArn: key.arn, kmsKeyId: key.keyId });
    await ctx.checkpoint('kms-create-key:before-alias');
    outcome += await ensureAlias(ctx, key);
    ctx.state.kmsKey = await settledKey(ctx, key);
    return outcome;
  },
};
