import { createHash, randomUUID } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * Applies `prisma/migrations/<name>/migration.sql` files that the database has not
 * seen, inside one transaction, and records them in Prisma's own `_prisma_migrations`
 * table exactly as `prisma migrate deploy` would (same DDL, sha256 checksum, timestamp
 * format), so Prisma's tooling agrees about the state of a Tessitura database.
 */

/** Same DDL the Prisma schema engine creates for SQLite. */
const MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export class DatabaseError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = "DatabaseError";
  }
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

// The server runs from the project root; the migrations ship beside it, not in the bundle.
const defaultMigrationsDir = () => path.join(/* turbopackIgnore: true */ process.cwd(), "prisma", "migrations");

export function readMigrations(dir = defaultMigrationsDir()): Migration[] {
  if (!existsSync(dir)) throw new DatabaseError(`migrations folder ${dir} not found`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

/** Prisma writes `2026-01-02T03:04:05.678+00:00`. */
function prismaTimestamp(d = new Date()): string {
  return d.toISOString().replace("Z", "+00:00");
}

function describeOpenError(file: string, err: unknown): DatabaseError {
  const code = (err as { code?: string }).code ?? "";
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT")
    return new DatabaseError(`database file ${file} is corrupt or is not a SQLite database; restore it from a backup or move it away to start fresh`, { cause: err });
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
    return new DatabaseError(`database file ${file} is locked by another process (is another server running with the same DataFolder?)`, { cause: err });
  if (code === "SQLITE_CANTOPEN" || code === "SQLITE_READONLY" || code === "SQLITE_PERM" || code === "EACCES")
    return new DatabaseError(`database file ${file} cannot be opened for writing (${(err as Error).message})`, { cause: err });
  if (code === "SQLITE_FULL") return new DatabaseError(`the disk holding ${file} is full`, { cause: err });
  return new DatabaseError(`opening database ${file}: ${(err as Error).message}`, { cause: err });
}

/**
 * Creates the database file 0600 before SQLite opens it (SQLite gives its -wal and -shm
 * files the database file's mode), and tightens one an earlier version left 0644.
 */
function makePrivate(file: string): void {
  try {
    closeSync(openSync(file, "a", 0o600));
    chmodSync(file, 0o600);
  } catch (err) {
    throw describeOpenError(file, err);
  }
}

export interface MigrateResult {
  applied: string[];
  /** Recorded migrations whose file changed since they were applied (Prisma reports these as "edited"). */
  edited: string[];
}

/** Opens (creating if needed) the database file and brings it up to date. */
export function migrateDatabase(file: string, migrations: Migration[] = readMigrations()): MigrateResult {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  makePrivate(file);
  let conn: Database.Database;
  try {
    conn = new Database(file, { timeout: 5000 });
    conn.pragma("schema_version"); // forces a read: fails here on a corrupt or non-database file
    conn.pragma("journal_mode = WAL");
    conn.pragma("foreign_keys = ON");
  } catch (err) {
    throw describeOpenError(file, err);
  }
  try {
    const begin = () => {
      try {
        conn.exec("BEGIN IMMEDIATE");
      } catch (err) {
        throw describeOpenError(file, err);
      }
    };
    begin();
    try {
      const hasTable = conn.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='_prisma_migrations'").get();
      if (!hasTable) conn.exec(MIGRATIONS_TABLE);
      const rows = conn
        .prepare("SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations")
        .all() as { migration_name: string; checksum: string; finished_at: string | null; rolled_back_at: string | null }[];
      const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
      if (failed.length)
        throw new DatabaseError(`database ${file} has a failed migration (${failed.map((r) => r.migration_name).join(", ")}); restore a backup before starting`);
      const done = new Map(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => [r.migration_name, r.checksum]));
      const applied: string[] = [];
      const edited: string[] = [];
      const insert = conn.prepare(
        "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)",
      );
      for (const m of migrations) {
        const recorded = done.get(m.name);
        if (recorded !== undefined) {
          if (recorded !== m.checksum) edited.push(m.name);
          continue;
        }
        const started = prismaTimestamp();
        try {
          conn.exec(m.sql);
        } catch (err) {
          throw new DatabaseError(`applying migration ${m.name}: ${(err as Error).message}`, { cause: err });
        }
        insert.run(randomUUID(), m.checksum, prismaTimestamp(), m.name, started);
        applied.push(m.name);
      }
      conn.exec("COMMIT");
      return { applied, edited };
    } catch (err) {
      if (conn.inTransaction) conn.exec("ROLLBACK");
      throw err;
    }
  } finally {
    conn.close();
  }
}
