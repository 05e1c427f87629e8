/**
 * RSA wrapping keys for GetParametersForImport: one per (KMS key, wrapping key spec), reused for a token lifetime
 * and kept until the last token issued with it has expired. Key pairs are generated off the event loop, with one
 * spare per size prepared in the background so most calls do not wait for RSA key generation.
 */
import { generateWrappingKeyPair, type WrappingKeyPair } from '../../crypto/kms-import.js';
import { randomUuid } from '../../crypto/random.js';
import type { KmsContext } from './context.js';
import type { KeyRecord, WrappingKeyRecord } from './records.js';

/** Where GetParametersForImport gets fresh RSA key pairs (the default pool, or one supplied in KmsServerOptions). */
export interface WrappingKeySource {
  take(bits: number): Promise<WrappingKeyPair>;
  close(): Promise<void>;
}

export class WrappingKeyPool implements WrappingKeySource {
  private readonly spares = new Map<number, Promise<WrappingKeyPair>>();
  private closed = false;

  /** A fresh key pair of `bits`; starts preparing the next one. */
  async take(bits: number): Promise<WrappingKeyPair> {
    const spare = this.spares.get(bits);
    this.spares.delete(bits);
    const pair = await (spare ?? generateWrappingKeyPair(bits));
    if (!this.closed && !this.spares.has(bits)) {
      const next = generateWrappingKeyPair(bits);
      next.catch(() => this.spares.delete(bits));
      this.spares.set(bits, next);
    }
    return pair;
  }

  /** Stops preparing spares; waits for the ones being generated. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.spares.values()];
    this.spares.clear();
    await Promise.allSettled(pending);
  }
}

/** The wrapping key to hand out now for `key` and `spec`, creating it when none is fresh enough. */
export async function wrappingKeyFor(ctx: KmsContext, pool: WrappingKeySource, key: KeyRecord, spec: string, bits: number):
  Promise<WrappingKeyRecord> {
  const { store, tokenLifetimeMs } = ctx.kms;
  let reuse: WrappingKeyRecord | undefined;
  for (const w of store.wrappingKeys()) {
    if (w.createdAt + 2 * tokenLifetimeMs <= ctx.now) store.deleteWrappingKey(w.id);
    else if (w.account === key.account && w.region === key.region && w.keyId === key.keyId && w.spec === spec
      && w.createdAt + tokenLifetimeMs > ctx.now && w.createdAt <= ctx.now) reuse = w;
  }
  if (reuse) return reuse;
  const pair = await pool.take(bits);
  const record: WrappingKeyRecord = {
    id: randomUuid(), account: key.account, region: key.region, keyId: key.keyId, spec,
    pkcs8: pair.pkcs8, spki: pair.spki, createdAt: ctx.now,
  };
  store.putWrappingKey(record);
  return record;
}
