/**
 * Asking KMS again when AWS says "not yet" rather than "no":
 *  - ThrottlingException: GetParametersForImport allows one call per 4 s per account and Region (KMS-SPEC 6), and a
 *    restart after a refused token, or the symmetric key's re-import check, calls it again at once; the SDK's own
 *    retries give up within about a second, so the ceremony waits out the quota (up to 5 attempts).
 *  - NotFoundException for a key created moments ago: KMS is eventually consistent, and a new key (or an alias just
 *    made for it) can be invisible to the next call for a few seconds. Retried with growing waits only while the
 *    ceremony's CreateKey is recent, so a key that really is gone is reported at once.
 *  - A key in state Creating (a multi-Region key being set up) is waited for before anything is imported into it.
 * Each wait is announced as a note; `ctx.sleep` does the waiting (tests pass one that does not).
 */
import { KmsNotFoundError, KmsThrottlingError } from '../../kms/client/errors.js';
import type { KmsKey } from '../../kms/client/port.js';
import type { CeremonyContext } from '../context.js';
import { CeremonyError } from '../errors.js';

const ATTEMPTS = 5;
/** A little over the GetParametersForImport quota of one call per 4 s. */
export const THROTTLE_WAIT_MS = 4_500;
/** Waits before the 2nd..5th attempt on a NotFoundException for a new key (15 s in all). */
export const NOT_FOUND_WAITS_MS = [1_000, 2_000, 4_000, 8_000];
/** How long after CreateKey a NotFoundException may still be eventual consistency. */
const FRESH_KEY_MS = 2 * 60_000;
/** How long a key may stay in state Creating before the ceremony gives up (multi-Region set-up takes seconds). */
const CREATING_WAITS_MS = [2_000, 4_000, 8_000, 16_000, 30_000];

/** The ceremony's CreateKey began less than two minutes ago (in this run or one that crashed just after it). */
function keyIsFresh(ctx: CeremonyContext): boolean {
  const started = Date.parse(ctx.journal.facts.createKeyStartedAt ?? '');
  return Number.isFinite(started) && ctx.now().getTime() - started < FRESH_KEY_MS;
}

/** Runs one KMS call, retrying as described above; `operation` names it in the notes. */
export async function kmsCall<T>(ctx: CeremonyContext, operation: string, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (attempt >= ATTEMPTS) throw e;
      let wait: number;
      let why: string;
      if (e instanceof KmsThrottlingError) {
        wait = THROTTLE_WAIT_MS;
        why = `KMS throttled ${operation}`;
      } else if (e instanceof KmsNotFoundError && keyIsFresh(ctx)) {
        wait = NOT_FOUND_WAITS_MS[attempt - 1];
        why = `KMS does not show the new key to ${operation} yet (eventual consistency)`;
      } else {
        throw e;
      }
      ctx.emit({ type: 'note', message: `${why}; asking again in ${wait / 1000} s` });
      await ctx.sleep(wait);
    }
  }
}

/** DescribeKey until the key has left state Creating; the key as it is then. */
export async function settledKey(ctx: CeremonyContext, key: KmsKey): Promise<KmsKey> {
  let current = key;
  for (const wait of CREATING_WAITS_MS) {
    if (current.keyState !== 'Creating') return current;
    ctx.emit({ type: 'note', message: `KMS key ${current.keyId} is still being created; checking again in ${wait / 1000} s` });
    await ctx.sleep(wait);
    current = await kmsCall(ctx, 'DescribeKey', () => ctx.kms.describeKey(key.arn));
  }
  if (current.keyState !== 'Creating') return current;
  throw new CeremonyError('KMS_KEY_STILL_CREATING', `KMS key ${current.arn} is still in state Creating after a minute; re-run the same command later.`);
}
