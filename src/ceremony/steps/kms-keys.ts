/**
 * Finding the ceremony's KMS key in reality. Every key the ceremony creates carries the tag
 * `hsm2kms:ceremony-id = <ceremony id>`, so a key created just before a crash (before the journal recorded
 * its ARN) is found again by tag and never created twice.
 */
import { KmsAccessDeniedError, KmsNotFoundError } from '../../kms/client/errors.js';
import type { KmsKey } from '../../kms/client/port.js';
import type { CeremonyContext } from '../context.js';
import { kmsIsLocal } from '../simulated.js';
import { kmsCall } from './kms-retry.js';

export const CEREMONY_TAG = 'hsm2kms:ceremony-id';
/** Clock difference allowed between this machine and KMS when comparing a key's CreationDate with our clock. */
const CLOCK_SKEW_MS = 15 * 60_000;
/** ListKeys on AWS may miss a key created this long ago (eventual consistency); a scan waits until then. */
const LIST_CATCH_UP_MS = 20_000;

async function hasCeremonyTag(ctx: CeremonyContext, keyId: string): Promise<boolean> {
  const tags = await kmsCall(ctx, 'ListResourceTags', () => ctx.kms.listResourceTags(keyId));
  return tags.some((t) => t.key === CEREMONY_TAG && t.value === ctx.journal.ceremonyId);
}

/** The key if it exists and carries this ceremony's tag. */
export async function findCeremonyKey(ctx: CeremonyContext, keyRef: string): Promise<KmsKey | undefined> {
  let key: KmsKey;
  try {
    key = await ctx.kms.describeKey(keyRef);
  } catch (e) {
    if (e instanceof KmsNotFoundError) return undefined;
    throw e;
  }
  return (await hasCeremonyTag(ctx, key.keyId)) ? key : undefined;
}

/** One pass over the account's keys: an EXTERNAL key created since the ceremony's CreateKey began, with its tag. */
async function scanForCeremonyKey(ctx: CeremonyContext, since: number): Promise<KmsKey | undefined> {
  for (const entry of await kmsCall(ctx, 'ListKeys', () => ctx.kms.listKeys())) {
    let key: KmsKey;
    try {
      key = await kmsCall(ctx, 'DescribeKey', () => ctx.kms.describeKey(entry.keyId));
    } catch (e) {
      // Keys this caller may not see are not the ceremony's (its key policy always lets the caller in).
      if (e instanceof KmsAccessDeniedError || e instanceof KmsNotFoundError) continue;
      throw e;
    }
    if (key.origin !== 'EXTERNAL' || key.keyState === 'PendingDeletion' || key.creationDate.getTime() < since) continue;
    if (await hasCeremonyTag(ctx, key.keyId)) return key;
  }
  return undefined;
}

/**
 * Crash recovery after CreateKey: scans the account's keys for one tagged with this ceremony's id. Only keys
 * created since the CreateKey began are described further (a busy account has many keys). On AWS a key created
 * seconds ago may not be listed yet, so a scan that finds nothing that soon waits and looks once more.
 */
export async function recoverCreatedKey(ctx: CeremonyContext): Promise<KmsKey | undefined> {
  const started = Date.parse(ctx.journal.facts.createKeyStartedAt ?? '');
  const since = Number.isFinite(started) ? started - CLOCK_SKEW_MS : -Infinity;
  const found = await scanForCeremonyKey(ctx, since);
  if (found || kmsIsLocal(ctx.config.kms.target) || !Number.isFinite(started)) return found;
  const wait = started + LIST_CATCH_UP_MS - ctx.now().getTime();
  if (wait <= 0) return undefined;
  ctx.emit({ type: 'note', step: 'kms-create-key', message: `no key of this ceremony listed yet after an interrupted CreateKey; looking again in ${Math.ceil(wait / 1000)} s (KMS lists new keys after a delay)` });
  await ctx.sleep(wait);
  return scanForCeremonyKey(ctx, since);
}
