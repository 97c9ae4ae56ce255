import "server-only";
import { db } from "./client";

/** The `Property` table: server-wide key/value settings (signing secrets, first-run markers). */

/** The stored values of these keys (keys never stored are absent). */
export async function readProperties(ids: string[]): Promise<Map<string, string>> {
  const rows = await db().property.findMany({ where: { id: { in: ids } } });
  return new Map(rows.map((r) => [r.id, r.value]));
}

/**
 * Stores these values in one transaction. With `scrub`, SQLite zeroes the bytes the old
 * values free and the WAL is checkpointed afterwards, so a replaced secret does not linger
 * in free pages or the log.
 */
export async function writeProperties(entries: [id: string, value: string][], opts: { scrub?: boolean } = {}): Promise<void> {
  if (opts.scrub) await db().$queryRawUnsafe("PRAGMA secure_delete = ON");
  await db().$transaction(entries.map(([id, value]) => db().property.upsert({ where: { id }, create: { id, value }, update: { value } })));
  if (opts.scrub) await db().$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
}
