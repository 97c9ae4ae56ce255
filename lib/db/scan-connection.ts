import "server-only";
import Database from "better-sqlite3";
import { catalogChanged } from "./catalog-generation";
import { db, type PrismaClient } from "./client";

/**
 * The scanner's own SQLite connection, on the file the Prisma client has open: bulk writes
 * through Prisma cost more than the tag reading they follow (each 500-row `createMany` goes
 * through its query compiler), while a prepared statement re-run in one transaction costs a
 * few µs a row. WAL is on (migrate.ts), so Prisma's readers never wait for this connection.
 *
 * Both connections live on the one Node thread, and a Prisma interactive transaction can hold
 * the write lock across an `await`: a busy timeout here would block the thread the holder
 * needs to finish, so this connection never waits inside SQLite (timeout 0) and `inWriteTransaction`
 * retries on SQLITE_BUSY after yielding instead. Its transactions are synchronous, so Prisma's
 * connection never finds the lock held by this one.
 */
let current: { client: PrismaClient; conn: Database.Database } | null = null;

/** The scanner's connection for the current database (opened on first use). */
export async function scanConnection(): Promise<Database.Database> {
  const client = db();
  if (current?.client === client && current.conn.open) return current.conn;
  closeScanConnection();
  const rows = await client.$queryRawUnsafe<{ name: string; file: string }[]>("PRAGMA database_list");
  const file = rows.find((r) => r.name === "main")?.file;
  if (!file) throw new Error("the database has no file to open a second connection on");
  const conn = new Database(file, { timeout: 0 });
  conn.pragma("foreign_keys = ON"); // removed tracks take their scrobbles along, as through Prisma
  conn.pragma("synchronous = NORMAL"); // safe in WAL mode; a crash can lose only the last commits of a rebuildable scan
  conn.pragma("cache_size = -65536"); // 64 MiB: the track table's five indexes of a 100 000-track library stay in memory
  conn.pragma("wal_autocheckpoint = 16384"); // checkpoint (and fsync) every 64 MiB of WAL rather than every 4 MiB
  current = { client, conn };
  return conn;
}

/** Closes the scanner's connection (end of a scan); the next use opens it again. */
export function closeScanConnection(): void {
  if (current?.conn.open) current.conn.close();
  current = null;
}

const BUSY_RETRIES = 200;

/** Runs `fn` in a write (IMMEDIATE) transaction, retrying after a short pause while another connection writes. */
export async function inWriteTransaction<T>(conn: Database.Database, fn: () => T): Promise<T> {
  const tx = conn.transaction(fn);
  for (let attempt = 0; ; attempt++) {
    try {
      return tx.immediate();
    } catch (err) {
      if ((err as { code?: string }).code !== "SQLITE_BUSY" || attempt >= BUSY_RETRIES) throw err;
      await new Promise((r) => setTimeout(r, Math.min(50, 1 + attempt * 2)));
    } finally {
      catalogChanged(); // every scanner write goes through here: cached catalog answers are stale
    }
  }
}
