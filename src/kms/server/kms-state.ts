/**
 * The server's view of its store: key lookup with the time-driven transitions applied on access (a key whose
 * deletion date has passed is deleted; imported material whose ValidTo has passed is deleted, returning the key to
 * PendingImport, KMS-SPEC 1.5), and copy-on-write updates so a failed operation leaves a key unchanged.
 */
import { cloneKey, nextEventAt, type KeyRecord } from './records.js';
import type { KmsStore } from './store.js';
import { WrappingKeyPool, type WrappingKeySource } from './wrapping-keys.js';

export interface KmsStateOptions {
  /** Lifetime of import tokens and their wrapping keys; AWS: 24 hours. */
  tokenLifetimeMs: number;
  /** Where fresh wrapping key pairs come from; default a WrappingKeyPool. */
  wrappingKeys?: WrappingKeySource;
}

export class KmsState {
  readonly store: KmsStore;
  readonly tokenLifetimeMs: number;
  readonly wrappingKeys: WrappingKeySource;
  /** Per key record: when it next changes by itself (cached; records are replaced, never mutated). */
  private readonly due = new WeakMap<KeyRecord, number>();

  constructor(store: KmsStore, options: KmsStateOptions) {
    this.store = store;
    this.tokenLifetimeMs = options.tokenLifetimeMs;
    this.wrappingKeys = options.wrappingKeys ?? new WrappingKeyPool();
  }

  /** Applies due deletion and expiry to `key`; returns the current record, or undefined if the key is gone. */
  settle(key: KeyRecord, now: number): KeyRecord | undefined {
    let due = this.due.get(key);
    if (due === undefined) {
      due = nextEventAt(key);
      this.due.set(key, due);
    }
    if (now < due) return key;
    if (key.deletionDate !== undefined && key.deletionDate <= now) {
      this.store.deleteKey(key);
      return undefined;
    }
    return this.update(key, (draft) => {
      for (const m of draft.materials) {
        if (m.material !== undefined && m.validTo !== undefined && m.validTo <= now) {
          m.material = undefined;
          delete m.expirationModel;
          delete m.validTo;
        }
      }
    });
  }

  findKey(account: string, region: string, keyId: string, now: number): KeyRecord | undefined {
    const key = this.store.getKey(account, region, keyId);
    return key && this.settle(key, now);
  }

  /** The keys of one account and Region, settled, in creation order. */
  keysOf(account: string, region: string, now: number): KeyRecord[] {
    const out: KeyRecord[] = [];
    for (const k of this.store.allKeys()) {
      if (k.account !== account || k.region !== region) continue;
      const settled = this.settle(k, now);
      if (settled) out.push(settled);
    }
    return out;
  }

  /** Every Region's copy of a multi-Region key (primary and replicas), settled. */
  multiRegionCopies(key: KeyRecord, now: number): KeyRecord[] {
    const out: KeyRecord[] = [];
    for (const k of this.store.allKeys()) {
      if (k.account !== key.account || k.keyId !== key.keyId) continue;
      const settled = this.settle(k, now);
      if (settled) out.push(settled);
    }
    return out;
  }

  /** Copies the key, lets `mutate` change the copy, stores it durably and returns it. */
  update(key: KeyRecord, mutate: (draft: KeyRecord) => void): KeyRecord {
    const draft = cloneKey(key);
    mutate(draft);
    this.store.putKey(draft);
    return draft;
  }
}
