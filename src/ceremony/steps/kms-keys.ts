/**
 * Finding the ceremony's KMS key in reality. Every key the ceremony creates carries the tag
 * `hsm2kms:ceremony-id = <ceremony id>`, so a key created just before a crash (before the journal recorded
 * its ARN) is found again by tag and never created twice.
 */
import { KmsNotFoundError } from '../../kms/client/errors.js';
import type { KmsKey } from '../../kms/client/port.js';
import type { CeremonyContext } from '../context.js';

export const CEREMONY_TAG = 'hsm2kms:ceremony-id';

/** The key if it exists, carries this ceremony's tag and is not being deleted. */
export async function findCeremonyKey(ctx: CeremonyContext, keyRef: string): Promise<KmsKey | undefined> {
  let key: KmsKey;
  try {
    key = await ctx.kms.describeKey(keyRef);
  } catch (e) {
    if (e instanceof KmsNotFoundError) return undefined;
    throw e;
  }
  const tags = await ctx.kms.listResourceTags(key.keyId);
  if (!tags.some((t) => t.key === CEREMONY_TAG && t.value === ctx.journal.ceremonyId)) return undefined;
  return key;
}

/** Scans the account's keys for one tagged with this ceremony's id (crash recovery after CreateKey). */
export async function recoverCreatedKey(ctx: CeremonyContext): Promise<KmsKey | undefined> {
  const keys = await ctx.kms.listKeys();
  // Newest keys are most likely; KMS lists in no documented order, so check all.
  for (const k of keys) {
    const found = await findCeremonyKey(ctx, k.keyId).catch(() => undefined);
    if (found && found.keyState !== 'PendingDeletion') return found;
  }
  return undefined;
}
