import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Fitness check for the data layer (STYLE: "lib/db is the only place that imports Prisma"):
 * outside lib/db, no server module calls `db()` or imports Prisma (`@prisma/…` or the
 * generated client). Domain code calls the query modules `lib/db/<domain>.ts`, which
 * answer decoded rows; row types come from `lib/db/rows.ts`.
 */

const ROOT = path.resolve(__dirname, "../..");
const SCANNED = ["lib", "app", "components", "scripts"];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs)$/;

/**
 * Tests and their fixtures may use the client directly: they seed and inspect the real
 * SQLite database, which is the point of testing against it.
 */
const isTestCode = (rel: string) => /\.test\.tsx?$/.test(rel) || rel.startsWith("lib/testing/") || rel.includes("/testing/");

/** Build tooling that drives Prisma itself rather than querying through it. */
const TOOLING = new Set(["scripts/schema-engine.mjs"]); // migrations with Prisma's wasm schema engine (npm run db:diff)

/**
 * Files still waiting to move their Prisma use into lib/db, each with its owner and reason.
 * The rule above is final; this list only shrinks (an entry that no longer breaks the rule
 * fails the test until it is removed).
 */
const PENDING: Record<string, string> = {
  // Empty: add a file here only with the reason and the issue that will remove it.
};

/** What breaks the rule in one file's text. */
function prismaUses(text: string): string[] {
  const found: string[] = [];
  if (/\bdb\(\)/.test(text)) found.push("calls db()");
  if (/from\s+["'][^"']*generated\/prisma[^"']*["']|import\(\s*["'][^"']*generated\/prisma/.test(text)) found.push("imports the generated Prisma client");
  if (/from\s+["']@prisma\/|import\(\s*["']@prisma\//.test(text)) found.push("imports @prisma/*");
  return found;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules" && !e.name.startsWith(".")) walk(full, out);
    } else if (SOURCE.test(e.name)) out.push(path.relative(ROOT, full).split(path.sep).join("/"));
  }
  return out;
}

function violations(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const top of SCANNED)
    for (const rel of walk(path.join(ROOT, top))) {
      if (rel.startsWith("lib/db/") || isTestCode(rel)) continue;
      const uses = prismaUses(readFileSync(path.join(ROOT, rel), "utf8"));
      if (uses.length) out.set(rel, uses);
    }
  return out;
}

describe("data layer boundary", () => {
  it("recognises each way of reaching Prisma", () => {
    expect(prismaUses('const n = await db().user.count();')).toEqual(["calls db()"]);
    expect(prismaUses('import type { User } from "../db/generated/prisma/client";')).toEqual(["imports the generated Prisma client"]);
    expect(prismaUses('import { PrismaClient } from "@prisma/client";')).toEqual(["imports @prisma/*"]);
    expect(prismaUses('const { Prisma } = await import("@prisma/client");')).toEqual(["imports @prisma/*"]);
    expect(prismaUses('import type { User } from "../db/rows";\nimport { findUserById } from "../db/users";')).toEqual([]);
  });

  it("keeps db() and Prisma imports inside lib/db", () => {
    const found = [...violations()].filter(([rel]) => !(rel in PENDING) && !TOOLING.has(rel)).map(([rel, uses]) => `${rel}: ${uses.join(", ")}`);
    expect(found, "move these queries into a lib/db/<domain>.ts module (row types: lib/db/rows.ts)").toEqual([]);
  });

  it("lists only files that still need the exception", () => {
    const current = violations();
    const stale = Object.keys(PENDING).filter((rel) => !current.has(rel));
    expect(stale, "these files no longer use Prisma: remove them from PENDING").toEqual([]);
  });
});
