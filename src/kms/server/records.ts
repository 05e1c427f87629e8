/**
 * What the local KMS keeps per key, alias and wrapping key. Key state is derived, never stored (KMS-SPEC 1.1, 1.8):
 * a deletion date means PendingDeletion; an EXTERNAL key whose materials are not all present is PendingImport;
 * otherwise the enabled flag decides between Enabled and Disabled.
 */
import type { ExpirationModelType, KeySpec, KeyState, KeyUsageType, OriginType } from '../model/enums.js';
import type { Tag } from '../model/shapes.js';

export interface MaterialRecord {
  /** 64 lowercase hex: HMAC of (key ID, material) under the server's id key, so identical material gives the same id. */
  id: string;
  /** Raw bytes (symmetric, HMAC) or PKCS#8 DER (asymmetric); undefined once deleted or expired, or before a replica's import. */
  material: Uint8Array | undefined;
  state: 'CURRENT' | 'NON_CURRENT' | 'PENDING_ROTATION';
  expirationModel?: ExpirationModelType;
  /** Epoch milliseconds. */
  validTo?: number;
  description?: string;
  /** Epoch milliseconds when this material became current through RotateKeyOnDemand. */
  rotationDate?: number;
}

export interface KeyRecord {
  account: string;
  region: string;
  keyId: string;
  arn: string;
  /** Epoch milliseconds. */
  createdAt: number;
  description: string;
  keySpec: KeySpec;
  keyUsage: KeyUsageType;
  origin: OriginType;
  multiRegion: boolean;
  /** Region of the multi-Region primary (equals `region` on the primary itself). */
  primaryRegion?: string;
  policy: string;
  /** EnableKey/DisableKey switch; the visible state is derived (see keyState). */
  enabled: boolean;
  /** Epoch milliseconds; present while PendingDeletion. */
  deletionDate?: number;
  pendingWindowInDays?: number;
  tags: Tag[];
  materials: MaterialRecord[];
}

export interface AliasRecord {
  account: string;
  region: string;
  /** Full name, `alias/...`. */
  name: string;
  targetKeyId: string;
  createdAt: number;
  updatedAt: number;
}

export interface WrappingKeyRecord {
  id: string;
  account: string;
  region: string;
  keyId: string;
  spec: string;
  pkcs8: Uint8Array;
  spki: Uint8Array;
  createdAt: number;
}

/** True when every non-pending material of the key has its bytes (an EXTERNAL key without material has none). */
export function hasAllMaterial(key: KeyRecord): boolean {
  const needed = key.materials.filter((m) => m.state !== 'PENDING_ROTATION');
  return needed.length > 0 && needed.every((m) => m.material !== undefined);
}

export function keyState(key: KeyRecord): KeyState {
  if (key.deletionDate !== undefined) return 'PendingDeletion';
  if (!hasAllMaterial(key)) return 'PendingImport';
  return key.enabled ? 'Enabled' : 'Disabled';
}

export function currentMaterial(key: KeyRecord): MaterialRecord | undefined {
  return key.materials.find((m) => m.state === 'CURRENT');
}

/** A copy that can be changed without touching the stored record (materials and tags copied, bytes shared). */
export function cloneKey(key: KeyRecord): KeyRecord {
  return { ...key, tags: key.tags.map((t) => ({ ...t })), materials: key.materials.map((m) => ({ ...m })) };
}

/** Earliest time (epoch ms) at which the key changes by itself: deletion or a material's expiry. */
export function nextEventAt(key: KeyRecord): number {
  let t = key.deletionDate ?? Infinity;
  for (const m of key.materials) {
    if (m.material !== undefined && m.validTo !== undefined && m.validTo < t) t = m.validTo;
  }
  return t;
}
