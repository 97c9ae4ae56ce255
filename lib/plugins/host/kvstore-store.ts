import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { formatBytes } from "./go-humanize";

/** Maximum key length in bytes (contract §2.7). */
export const MAX_KEY_BYTES = 256;
/** Keys per `IN (…)` query of `getMany`, as Navidrome batches them. */
const GET_MANY_BATCH = 200;

/**
 * Navidrome's schema, applied as numbered migrations tracked with `PRAGMA user_version`,
 * so a database written by either server opens in the other. Timestamps are SQLite
 * `datetime` text (UTC, second resolution).
 */
const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS kvstore (
    key TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL,
    size INTEGER NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
  )`,
  `ALTER TABLE kvstore ADD COLUMN expires_at DATETIME DEFAULT NULL`,
  `CREATE INDEX idx_kvstore_expires_at ON kvstore(expires_at)`,
];

/** A key stays visible through its expiry second (contract §4.5). */
const LIVE = "(expires_at IS NULL OR expires_at >= datetime('now'))";

/** `LIKE 'prefix%'` with `%` and `_` escaped; SQLite's LIKE is ASCII case-insensitive. */
const likePrefix = (prefix: string) => `${prefix.replace(/%/g, "\\%").replace(/_/g, "\\_")}%`;

interface Row {
  size: number;
  permanent: number;
  live?: number;
}

const toBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * One plugin's key-value store, `<DataFolder>/plugins/<id>/kvstore.db`: WAL with
 * `synchronous=NORMAL` (a committed write survives the process being killed), prepared
 * statements, and Navidrome's quota rule — only value bytes of live keys count, and only
 * a growing write is checked. Errors carry Navidrome's wording.
 *
 * Navidrome sums every live row on each growing write, which slows down as the store
 * fills. Here the bytes of keys without expiry are kept as a running total (read once at
 * open, adjusted by every write and delete), and only keys with a TTL are summed, through
 * the `expires_at` index. The store owns its file while open, so the total cannot drift.
 */
export class KVStore {
  private readonly db: Database.Database;
  private readonly stmts;
  private readonly getManyStmts = new Map<number, Database.Statement>();
  /** Value bytes of keys without expiry. */
  private permanentBytes: number;

  constructor(
    readonly file: string,
    readonly maxSize: number,
  ) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.db = new Database(file);
    try {
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("busy_timeout = 5000");
      this.db.pragma("synchronous = NORMAL");
      this.migrate();
    } catch (err) {
      this.db.close();
      throw err;
    }
    const db = this.db;
    this.stmts = {
      current: db.prepare(`SELECT size, expires_at IS NULL AS permanent, ${LIVE} AS live FROM kvstore WHERE key = ?`),
      permanentBytes: db.prepare(`SELECT COALESCE(SUM(size), 0) FROM kvstore WHERE expires_at IS NULL`).pluck(),
      expiringBytes: db.prepare(`SELECT COALESCE(SUM(size), 0) FROM kvstore WHERE expires_at >= datetime('now')`).pluck(),
      upsert: db.prepare(`INSERT INTO kvstore (key, value, size, created_at, updated_at, expires_at)
        VALUES (?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, datetime('now', ?))
        ON CONFLICT(key) DO UPDATE SET value = excluded.value, size = excluded.size,
          updated_at = CURRENT_TIMESTAMP, expires_at = excluded.expires_at
        RETURNING expires_at IS NULL AS permanent`).pluck(),
      get: db.prepare(`SELECT value FROM kvstore WHERE key = ? AND ${LIVE}`).pluck(),
      has: db.prepare(`SELECT COUNT(*) FROM kvstore WHERE key = ? AND ${LIVE}`).pluck(),
      listAll: db.prepare(`SELECT key FROM kvstore WHERE ${LIVE} ORDER BY key`).pluck(),
      listPrefix: db.prepare(`SELECT key FROM kvstore WHERE key LIKE ? ESCAPE '\\' AND ${LIVE} ORDER BY key`).pluck(),
      delete: db.prepare(`DELETE FROM kvstore WHERE key = ? RETURNING size, expires_at IS NULL AS permanent`),
      deletePrefix: db.prepare(`DELETE FROM kvstore WHERE key LIKE ? ESCAPE '\\' RETURNING size, expires_at IS NULL AS permanent`),
      cleanup: db.prepare(`DELETE FROM kvstore WHERE expires_at IS NOT NULL AND expires_at < datetime('now')`),
    };
    this.permanentBytes = this.stmts.permanentBytes.get() as number;
  }

  private migrate(): void {
    const version = this.db.pragma("user_version", { simple: true }) as number;
    for (let i = version; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]);
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }

  /**
   * Stores `value` under `key`. `ttlSeconds` 0 stores without expiry (clearing an older
   * one); a positive value expires the key that many seconds from now. A missing value
   * (JSON `null`) fails on the NOT NULL column, as in Navidrome.
   */
  set(key: string, value: Uint8Array | undefined, ttlSeconds: bigint = 0n): void {
    const keyBytes = Buffer.byteLength(key);
    if (keyBytes === 0) throw new Error("key cannot be empty");
    if (keyBytes > MAX_KEY_BYTES) throw new Error(`key exceeds maximum length of ${MAX_KEY_BYTES} bytes`);
    const size = value?.byteLength ?? 0;
    const old = this.stmts.current.get(key) as Row | undefined;
    const delta = size - (old?.live ? old.size : 0);
    if (delta > 0) {
      const total = this.storageUsed() + delta;
      if (total > this.maxSize) throw new Error(`storage limit exceeded: would use ${formatBytes(total)} of ${formatBytes(this.maxSize)} allowed`);
    }
    let permanent: number;
    try {
      permanent = this.stmts.upsert.get(key, value ? toBuffer(value) : null, size, ttlSeconds > 0n ? `+${ttlSeconds} seconds` : null) as number;
    } catch (err) {
      throw new Error(`storing value: ${(err as Error).message}`, { cause: err });
    }
    if (old?.permanent) this.permanentBytes -= old.size;
    // A TTL too large for SQLite's dates leaves expires_at NULL, as in Navidrome: no expiry.
    if (permanent) this.permanentBytes += size;
  }

  get(key: string): Buffer | undefined {
    return this.stmts.get.get(key) as Buffer | undefined;
  }

  /** Live values of `keys`; missing and expired keys are absent. */
  getMany(keys: readonly string[]): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    for (let i = 0; i < keys.length; i += GET_MANY_BATCH) {
      const chunk = keys.slice(i, i + GET_MANY_BATCH);
      for (const row of this.getManyStatement(chunk.length).all(...chunk) as { key: string; value: Buffer }[]) out.set(row.key, row.value);
    }
    return out;
  }

  private getManyStatement(n: number): Database.Statement {
    let stmt = this.getManyStmts.get(n);
    if (!stmt) {
      stmt = this.db.prepare(`SELECT key, value FROM kvstore WHERE key IN (${Array(n).fill("?").join(",")}) AND ${LIVE}`);
      this.getManyStmts.set(n, stmt);
    }
    return stmt;
  }

  has(key: string): boolean {
    return (this.stmts.has.get(key) as number) > 0;
  }

  /** Live keys starting with `prefix` (ASCII case-insensitively), sorted; all live keys for "". */
  list(prefix: string): string[] {
    return (prefix === "" ? this.stmts.listAll.all() : this.stmts.listPrefix.all(likePrefix(prefix))) as string[];
  }

  delete(key: string): void {
    this.forget(this.stmts.delete.all(key) as Row[]);
  }

  private forget(deleted: Row[]): number {
    for (const row of deleted) if (row.permanent) this.permanentBytes -= row.size;
    return deleted.length;
  }

  /** Deletes keys starting with `prefix`, expired ones included, and counts them. */
  deleteByPrefix(prefix: string): number {
    if (prefix === "") throw new Error("prefix cannot be empty");
    return this.forget(this.stmts.deletePrefix.all(likePrefix(prefix)) as Row[]);
  }

  /** Value bytes of live keys. */
  storageUsed(): number {
    return this.permanentBytes + (this.stmts.expiringBytes.get() as number);
  }

  /** Physically removes expired rows (Navidrome does this hourly); returns how many. */
  cleanupExpired(): number {
    return this.stmts.cleanup.run().changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
