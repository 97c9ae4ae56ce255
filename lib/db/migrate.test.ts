import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrateDatabase, readMigrations, type Migration } from "./migrate";
// @ts-ignore plain .mjs tool without declarations
import { deploy, diff, status } from "../../scripts/schema-engine.mjs";

const tmp = () => mkdtempSync(path.join(tmpdir(), "migrate-"));

function schemaDump(file: string): string[] {
  const conn = new Database(file, { readonly: true });
  try {
    return (conn.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string; sql: string }[]).map(
      (r) => `${r.type} ${r.name}: ${r.sql}`,
    );
  } finally {
    conn.close();
  }
}

const extra: Migration = {
  name: "29990101000000_test_extra",
  sql: 'ALTER TABLE "User" ADD COLUMN "nickname" TEXT NOT NULL DEFAULT \'\';\nCREATE INDEX "User_nickname_idx" ON "User"("nickname");\n',
  checksum: "0".repeat(64),
};

describe("migrateDatabase", () => {
  it("creates a fresh database and records every migration in Prisma's format", () => {
    const file = path.join(tmp(), "fresh.db");
    const result = migrateDatabase(file);
    expect(result.applied).toEqual(readMigrations().map((m) => m.name));
    const conn = new Database(file, { readonly: true });
    const rows = conn.prepare("SELECT * FROM _prisma_migrations").all() as Record<string, unknown>[];
    conn.close();
    expect(rows).toHaveLength(readMigrations().length);
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
      expect(r.finished_at).toMatch(/\+00:00$/);
      expect(r.applied_steps_count).toBe(1);
      expect(r.logs).toBeNull();
    }
    expect(migrateDatabase(file).applied).toEqual([]);
  });

  it("ends an upgraded database identical to a fresh one", () => {
    const all = [...readMigrations(), extra];
    const upgraded = path.join(tmp(), "upgraded.db");
    migrateDatabase(upgraded, all.slice(0, -1));
    const second = migrateDatabase(upgraded, all);
    expect(second.applied).toEqual([extra.name]);
    const fresh = path.join(tmp(), "fresh.db");
    migrateDatabase(fresh, all);
    expect(schemaDump(upgraded)).toEqual(schemaDump(fresh));
  });

  it("rolls back everything when a migration fails, leaving the database as it was", () => {
    const file = path.join(tmp(), "broken.db");
    migrateDatabase(file);
    const before = schemaDump(file);
    const bad: Migration = { name: "29990101000001_bad", sql: 'CREATE TABLE "Ok" ("id" TEXT);\nTHIS IS NOT SQL;', checksum: "1".repeat(64) };
    expect(() => migrateDatabase(file, [...readMigrations(), bad])).toThrow(/applying migration 29990101000001_bad/);
    expect(schemaDump(file)).toEqual(before);
  });

  it("reports a corrupt database file clearly", () => {
    const file = path.join(tmp(), "corrupt.db");
    writeFileSync(file, Buffer.alloc(8192, 0x41));
    expect(() => migrateDatabase(file)).toThrow(/corrupt or is not a SQLite database/);
  });

  it("reports a database locked by another process clearly", () => {
    const file = path.join(tmp(), "locked.db");
    migrateDatabase(file);
    const holder = new Database(file);
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const started = Date.now();
      expect(() => migrateDatabase(file, [...readMigrations(), extra])).toThrow(/locked by another process/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(4000); // waited the busy timeout first
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  }, 20_000);

  it("flags migration files edited after they were applied", () => {
    const file = path.join(tmp(), "edited.db");
    migrateDatabase(file);
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: "f".repeat(64) } : m));
    expect(migrateDatabase(file, edited).edited).toEqual([edited[0].name]);
  });
});

describe("agreement with Prisma's schema engine (wasm build of the CLI's engine)", () => {
  it("the engine finds nothing pending or edited after our runner", async () => {
    const file = path.join(tmp(), "runner-first.db");
    migrateDatabase(file);
    const s = await status(`file:${file}`);
    expect(s.history).toBeNull();
    expect(s.failedMigrationNames).toEqual([]);
    expect(s.editedMigrationNames).toEqual([]);
    expect((await deploy(`file:${file}`)).appliedMigrationNames).toEqual([]);
  }, 60_000);

  it("our runner finds nothing to apply after the engine deployed, and both schemas match", async () => {
    const dir = tmp();
    const byEngine = path.join(dir, "engine.db");
    await deploy(`file:${byEngine}`);
    expect(migrateDatabase(byEngine).applied).toEqual([]);
    const byRunner = path.join(dir, "runner.db");
    migrateDatabase(byRunner);
    expect(schemaDump(byRunner)).toEqual(schemaDump(byEngine));
  }, 60_000);

  it("the migrations reproduce prisma/schema.prisma exactly (no drift)", async () => {
    expect(await diff(undefined)).toBeNull();
  }, 60_000);
});

