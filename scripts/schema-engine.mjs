#!/usr/bin/env node
// Offline driver for Prisma's own schema engine (the wasm build that ships inside the
// prisma CLI), so migrations can be generated, applied and checked without the native
// binary the CLI would download.
//
//   node scripts/schema-engine.mjs diff <name>   write prisma/migrations/<ts>_<name>/migration.sql
//   node scripts/schema-engine.mjs deploy        apply pending migrations to $DATABASE_URL
//   node scripts/schema-engine.mjs status        diagnose the migration history of $DATABASE_URL
//
// The @prisma/schema-engine-wasm version must equal the CLI's @prisma/engines-version.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const root = path.resolve(import.meta.dirname, "..");
const schemaPath = path.join(root, "prisma", "schema.prisma");
const migrationsDir = path.join(root, "prisma", "migrations");
const require = createRequire(import.meta.url);

// The wasm-bindgen glue is a singleton: instantiate the engine module once per process,
// or callbacks from an earlier engine land in a replaced instance.
let engineModule;
function loadEngineModule() {
  return (engineModule ??= instantiateEngine());
}

async function instantiateEngine() {
  const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bg = await import(bgPath);
  const bytes = readFileSync(path.join(path.dirname(bgPath), "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return bg;
}

/** Wraps the adapter factory so every connection the engine opens can be disposed (it otherwise keeps the file locked). */
function trackingFactory(url) {
  const opened = [];
  const base = new PrismaBetterSqlite3({ url });
  // A throwaway file: the engine may connect to the shadow database more than once and
  // expects to find what it applied there.
  const shadowDir = mkdtempSync(path.join(tmpdir(), "tessitura-shadow-"));
  const shadowUrl = `file:${path.join(shadowDir, "shadow.db")}`;
  const factory = {
    provider: base.provider,
    adapterName: base.adapterName,
    async connect() {
      const a = await base.connect();
      opened.push(a);
      return a;
    },
    async connectToShadowDb() {
      const a = await new PrismaBetterSqlite3({ url: shadowUrl }).connect();
      opened.push(a);
      // The engine replays each whole migration file through executeRaw on an external
      // shadow database; better-sqlite3 runs one statement per prepare, so hand
      // multi-statement scripts to executeScript instead.
      const executeRaw = a.executeRaw.bind(a);
      a.executeRaw = async (query) => {
        try {
          return await executeRaw(query);
        } catch (err) {
          if (!String(err?.message).includes("more than one statement") || query.args?.length) throw err;
          await a.executeScript(query.sql);
          return 0;
        }
      };
      return a;
    },
  };
  return {
    factory,
    dispose: async () => {
      await Promise.all(opened.map((a) => a.dispose?.()));
      rmSync(shadowDir, { recursive: true, force: true });
    },
  };
}

export function migrationsList() {
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: lockPath, content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      return { path: name, migrationFile: { path: file, content: { tag: "ok", value: readFileSync(file, "utf8") } } };
    }),
  };
}

export async function withEngine(url, fn) {
  const bg = await loadEngineModule();
  const { factory, dispose } = trackingFactory(url);
  const schema = readFileSync(schemaPath, "utf8");
  const logs = [];
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    (msg) => logs.push(msg),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await fn(engine, { schema });
  } finally {
    engine.free();
    await dispose();
  }
}

// Tables a migration creates by hand that the Prisma schema cannot declare: the FTS5 search
// indexes (20261206191500_search_fts_list_indexes) and their shadow tables. Without this, every
// new diff would start by dropping them.
const FTS_TABLES = ["ArtistFts", "AlbumFts", "MediaFileFts"];
const filters = { externalTables: FTS_TABLES.flatMap((t) => [t, ...["config", "data", "docsize", "idx", "content"].map((s) => `${t}_${s}`)]), externalEnums: [] };

export async function diff(name, url = ":memory:") {
  return withEngine(url, async (engine, { schema }) => {
    const res = await engine.diff({
      from: { tag: "migrations", ...migrationsList() },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      filters,
    });
    const sql = (res.stdout ?? "").trim();
    if (!sql || sql.startsWith("-- This is an empty migration")) return null;
    if (!name) return sql;
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), `${sql}\n`);
    return dir;
  });
}

export async function deploy(url) {
  return withEngine(url, (engine) => engine.applyMigrations({ migrationsList: migrationsList(), filters }));
}

export async function status(url) {
  return withEngine(url, async (engine) => {
    try {
      return await engine.diagnoseMigrationHistory({ migrationsList: migrationsList(), optInToShadowDatabase: false, filters });
    } catch (err) {
      // A fresh database has no _prisma_migrations table yet (P1014): everything is pending.
      if (String(err?.message ?? err).includes("P1014") || String(err?.message ?? err).includes("does not exist")) {
        return { hasMigrationsTable: false, history: { diagnostic: "databaseIsBehind", unappliedMigrationNames: migrationsList().migrationDirectories.map((d) => d.path) }, failedMigrationNames: [], editedMigrationNames: [] };
      }
      throw err;
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [cmd, arg] = process.argv.slice(2);
  const url = process.env.DATABASE_URL ?? `file:${path.join(root, "data", "tessitura.db")}`;
  const run = {
    diff: async () => {
      const out = await diff(arg ?? "migration");
      console.log(out ? `Wrote ${path.relative(root, out)}/migration.sql` : "No schema changes");
    },
    deploy: async () => console.log(JSON.stringify(await deploy(url))),
    status: async () => console.log(JSON.stringify(await status(url), null, 2)),
  }[cmd];
  if (!run) {
    console.error("usage: schema-engine.mjs diff <name> | deploy | status");
    process.exit(2);
  }
  run().catch((err) => {
    console.error(err?.message ?? err);
    process.exit(1);
  });
}
