/**
 * Durable state of the local KMS: SQLite (better-sqlite3) in `<dataDir>/kms.sqlite`, or an in-memory database when
 * no data directory is given. The whole state is also held in memory; every change is written through in one
 * transaction (WAL, synchronous=FULL: committed means fsynced) before memory is updated and before the server
 * answers, so an acknowledged change survives kill -9. The database holds key material: its files are mode 0600,
 * the directory 0700, and an exclusive lock keeps a second server off the same directory. Material that leaves the
 * store leaves the disk too: secure_delete zeroes freed database content, and a transaction that drops material or
 * a wrapping private key is followed by a WAL checkpoint that truncates the WAL (which still held the old pages);
 * the in-memory copies no record refers to any more are wiped.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { UsageError } from '../../errors.js';
import type { AliasRecord, KeyRecord, MaterialRecord, WrappingKeyRecord } from './records.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS keys (
  account TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (account, region, key_id));
CREATE TABLE IF NOT EXISTS materials (
  account TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL, pos INTEGER NOT NULL, material_id TEXT NOT NULL,
  doc TEXT NOT NULL, material BLOB, PRIMARY KEY (account, region, key_id, pos));
CREATE TABLE IF NOT EXISTS aliases (
  account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, target_key_id TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (account, region, name));
CREATE TABLE IF NOT EXISTS wrapping_keys (
  id TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL, spec TEXT NOT NULL,
  pkcs8 BLOB NOT NULL, spki BLOB NOT NULL, created_at INTEGER NOT NULL);
`;

type KeyDoc = Omit<KeyRecord, 'account' | 'region' | 'keyId' | 'createdAt' | 'materials'>;
type MaterialDoc = Omit<MaterialRecord, 'id' | 'material'>;

function mapKey(account: string, region: string, id: string): string {
  return `${account}\u0000${region}\u0000${id}`;
}

function bytes(b: Buffer | null): Uint8Array | undefined {
  return b === null ? undefined : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export class KmsStore {
  private readonly db: Database.Database;
  private readonly keyMap = new Map<string, KeyRecord>();
  private readonly aliasMap = new Map<string, AliasRecord>();
  private readonly wrapMap = new Map<string, WrappingKeyRecord>();
  private readonly stmt: Record<string, Database.Statement>;
  /** Secret for sealing import tokens (AES-256-GCM). */
  readonly tokenKey: Uint8Array;
  /** Secret for deriving KeyMaterialIds (HMAC-SHA-256). */
  readonly materialIdKey: Uint8Array;
  /** Database file, or undefined for the in-memory store. */
  readonly path: string | undefined;

  private constructor(db: Database.Database, path: string | undefined, newSecret: () => Uint8Array) {
    this.db = db;
    this.path = path;
    db.exec(SCHEMA);
    this.stmt = {
      getMeta: db.prepare('SELECT value FROM meta WHERE name = ?'),
      putMeta: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?)'),
      putKey: db.prepare(`INSERT INTO keys (account, region, key_id, created_at, doc) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (account, region, key_id) DO UPDATE SET doc = excluded.doc`),
      delKey: db.prepare('DELETE FROM keys WHERE account = ? AND region = ? AND key_id = ?'),
      delMaterials: db.prepare('DELETE FROM materials WHERE account = ? AND region = ? AND key_id = ?'),
      putMaterial: db.prepare(`INSERT INTO materials (account, region, key_id, pos, material_id, doc, material)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      putAlias: db.prepare(`INSERT INTO aliases (account, region, name, target_key_id, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account, region, name) DO UPDATE SET
        target_key_id = excluded.target_key_id, updated_at = excluded.updated_at`),
      delAlias: db.prepare('DELETE FROM aliases WHERE account = ? AND region = ? AND name = ?'),
      putWrap: db.prepare(`INSERT INTO wrapping_keys (id, account, region, key_id, spec, pkcs8, spki, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      delWrap: db.prepare('DELETE FROM wrapping_keys WHERE id = ?'),
    };
    this.tokenKey = this.secret('token-key', newSecret);
    this.materialIdKey = this.secret('material-id-key', newSecret);
    this.load();
  }

  /**
   * Opens (creating if needed) the store in `dataDir`, or an in-memory store. `newSecret` makes the server's
   * 32-byte secrets on first start. Throws UsageError when the directory is unusable or held by another server.
   */
  static open(dataDir: string | undefined, newSecret: () => Uint8Array): KmsStore {
    if (dataDir === undefined) return new KmsStore(new Database(':memory:'), undefined, newSecret);
    const path = join(dataDir, 'kms.sqlite');
    let db: Database.Database | undefined;
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
      chmodSync(path, 0o600);
      db = new Database(path);
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 0');
      db.pragma('secure_delete = ON');
      const store = new KmsStore(db, path, newSecret);
      for (const extra of ['-wal', '-shm', '-journal']) if (existsSync(path + extra)) chmodSync(path + extra, 0o600);
      return store;
    } catch (err) {
      db?.close();
      const code = (err as { code?: string }).code;
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
        throw new UsageError('KMS_DATA_DIR_IN_USE',
          `The KMS data directory ${dataDir} is in use by another server: stop it or choose another --data directory.`);
      }
      throw new UsageError('KMS_DATA_DIR_UNUSABLE',
        `Cannot open the KMS data directory ${dataDir} (${(err as Error).message}): check the path and its permissions.`,
        { cause: err });
    }
  }

  private secret(name: string, newSecret: () => Uint8Array): Uint8Array {
    const row = this.stmt.getMeta.get(name) as { value: Buffer } | undefined;
    if (row) return new Uint8Array(row.value);
    const value = newSecret();
    this.stmt.putMeta.run(name, Buffer.from(value));
    return value;
  }

  private load(): void {
    const materials = new Map<string, MaterialRecord[]>();
    const mrows = this.db.prepare('SELECT * FROM materials ORDER BY account, region, key_id, pos').all() as Array<{
      account: string; region: string; key_id: string; material_id: string; doc: string; material: Buffer | null;
    }>;
    for (const r of mrows) {
      const k = mapKey(r.account, r.region, r.key_id);
      const list = materials.get(k) ?? [];
      list.push({ id: r.material_id, material: bytes(r.material), ...(JSON.parse(r.doc) as MaterialDoc) });
      materials.set(k, list);
    }
    const krows = this.db.prepare('SELECT * FROM keys ORDER BY created_at, rowid').all() as Array<{
      account: string; region: string; key_id: string; created_at: number; doc: string;
    }>;
    for (const r of krows) {
      const k = mapKey(r.account, r.region, r.key_id);
      const doc = JSON.parse(r.doc) as KeyDoc;
      this.keyMap.set(k, {
        account: r.account, region: r.region, keyId: r.key_id, createdAt: r.created_at, ...doc,
        materials: materials.get(k) ?? [],
      });
    }
    const arows = this.db.prepare('SELECT * FROM aliases ORDER BY created_at, rowid').all() as Array<{
      account: string; region: string; name: string; target_key_id: string; created_at: number; updated_at: number;
    }>;
    for (const r of arows) {
      this.aliasMap.set(mapKey(r.account, r.region, r.name), {
        account: r.account, region: r.region, name: r.name, targetKeyId: r.target_key_id,
        createdAt: r.created_at, updatedAt: r.updated_at,
      });
    }
    const wrows = this.db.prepare('SELECT * FROM wrapping_keys').all() as Array<{
      id: string; account: string; region: string; key_id: string; spec: string; pkcs8: Buffer; spki: Buffer;
      created_at: number;
    }>;
    for (const r of wrows) {
      this.wrapMap.set(r.id, {
        id: r.id, account: r.account, region: r.region, keyId: r.key_id, spec: r.spec,
        pkcs8: new Uint8Array(r.pkcs8), spki: new Uint8Array(r.spki), createdAt: r.created_at,
      });
    }
  }

  // ---- keys --------------------------------------------------------------------------------------------------

  getKey(account: string, region: string, keyId: string): KeyRecord | undefined {
    return this.keyMap.get(mapKey(account, region, keyId));
  }

  /** Every key of every account and region, in creation order. */
  allKeys(): KeyRecord[] {
    return [...this.keyMap.values()];
  }

  /** Writes the key and all its materials in one transaction, then makes it the in-memory record. */
  putKey(key: KeyRecord): void {
    const { account, region, keyId, createdAt, materials, ...doc } = key;
    const kept = new Set(materials.map((m) => m.material));
    const dropped = (this.keyMap.get(mapKey(account, region, keyId))?.materials ?? [])
      .map((m) => m.material)
      .filter((b): b is Uint8Array => b !== undefined && !kept.has(b));
    this.db.transaction(() => {
      this.stmt.putKey.run(account, region, keyId, createdAt, JSON.stringify(doc));
      this.stmt.delMaterials.run(account, region, keyId);
      materials.forEach((m, pos) => {
        const { id, material, ...mdoc } = m;
        this.stmt.putMaterial.run(account, region, keyId, pos, id, JSON.stringify(mdoc),
          material === undefined ? null : Buffer.from(material.buffer, material.byteOffset, material.byteLength));
      });
    })();
    this.keyMap.set(mapKey(account, region, keyId), key);
    if (dropped.length > 0) this.scrub(dropped);
  }

  /** Removes the key, its materials, the aliases that point to it and its wrapping keys. */
  deleteKey(key: KeyRecord): void {
    const { account, region, keyId } = key;
    const aliases = this.aliases(account, region).filter((a) => a.targetKeyId === keyId);
    const wraps = [...this.wrapMap.values()].filter((w) => w.account === account && w.region === region && w.keyId === keyId);
    const dropped = [...key.materials, ...(this.keyMap.get(mapKey(account, region, keyId))?.materials ?? [])]
      .map((m) => m.material)
      .filter((b): b is Uint8Array => b !== undefined);
    this.db.transaction(() => {
      this.stmt.delKey.run(account, region, keyId);
      this.stmt.delMaterials.run(account, region, keyId);
      for (const a of aliases) this.stmt.delAlias.run(account, region, a.name);
      for (const w of wraps) this.stmt.delWrap.run(w.id);
    })();
    this.keyMap.delete(mapKey(account, region, keyId));
    for (const a of aliases) this.aliasMap.delete(mapKey(account, region, a.name));
    for (const w of wraps) this.wrapMap.delete(w.id);
    if (dropped.length > 0 || wraps.length > 0) this.scrub(dropped);
  }

  /**
   * After a committed change that dropped secrets: truncates the WAL (its frames still hold the old pages; the
   * checkpoint copies the zeroed pages into the database first), then wipes the dropped material buffers that no
   * key record refers to any more (a copy of a key shares its buffers until one of them changes).
   */
  private scrub(dropped: Uint8Array[]): void {
    if (this.path !== undefined) this.db.pragma('wal_checkpoint(TRUNCATE)');
    if (dropped.length === 0) return;
    const live = new Set<Uint8Array>();
    for (const k of this.keyMap.values()) for (const m of k.materials) if (m.material) live.add(m.material);
    for (const b of dropped) if (!live.has(b)) b.fill(0);
  }

  // ---- aliases -----------------------------------------------------------------------------------------------

  getAlias(account: string, region: string, name: string): AliasRecord | undefined {
    return this.aliasMap.get(mapKey(account, region, name));
  }

  aliases(account: string, region: string): AliasRecord[] {
    return [...this.aliasMap.values()].filter((a) => a.account === account && a.region === region);
  }

  putAlias(alias: AliasRecord): void {
    this.stmt.putAlias.run(alias.account, alias.region, alias.name, alias.targetKeyId, alias.createdAt, alias.updatedAt);
    this.aliasMap.set(mapKey(alias.account, alias.region, alias.name), alias);
  }

  deleteAlias(alias: AliasRecord): void {
    this.stmt.delAlias.run(alias.account, alias.region, alias.name);
    this.aliasMap.delete(mapKey(alias.account, alias.region, alias.name));
  }

  // ---- wrapping keys -----------------------------------------------------------------------------------------

  getWrappingKey(id: string): WrappingKeyRecord | undefined {
    return this.wrapMap.get(id);
  }

  wrappingKeys(): WrappingKeyRecord[] {
    return [...this.wrapMap.values()];
  }

  putWrappingKey(w: WrappingKeyRecord): void {
    this.stmt.putWrap.run(w.id, w.account, w.region, w.keyId, w.spec, Buffer.from(w.pkcs8), Buffer.from(w.spki), w.createdAt);
    this.wrapMap.set(w.id, w);
  }

  deleteWrappingKey(id: string): void {
    this.stmt.delWrap.run(id);
    this.wrapMap.delete(id);
    // The private key's bytes may be shared with a wrapping-key cache: only the disk copy is scrubbed.
    this.scrub([]);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
