import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildGraph, compareWithBaseline, crossFolderCycles, main, parseSpecifiers, resolveSpecifier, stronglyConnected } from "./check-cycles.mjs";

const roots: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A repository in a temp dir holding `files` (root-relative path → source). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "check-cycles-"));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** Runs `main` on `root`, capturing what it prints. */
function run(root: string): { code: number; out: string } {
  const lines: string[] = [];
  for (const k of ["log", "warn", "error"] as const) vi.spyOn(console, k).mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
  const code = main(root);
  vi.restoreAllMocks();
  return { code, out: lines.join("\n") };
}

describe("parseSpecifiers", () => {
  it("reads static, type-only, side-effect, re-export and dynamic imports", () => {
    const source = [
      'import a from "./a";',
      "import { b, type B } from './b';",
      'import type { C } from "@/lib/c";',
      'import "./side-effect";',
      'import * as ns from "./ns";',
      "import d, {\n  e,\n  f,\n} from \"./multi-line\";",
      'export { g } from "./g";',
      'export * from "./star";',
      'export type { H } from "./h";',
      'const lazy = await import("./lazy");',
      "export const x = 1;",
    ].join("\n");
    expect(parseSpecifiers(source).sort()).toEqual(["./a", "./b", "./g", "./h", "./lazy", "./multi-line", "./ns", "./side-effect", "./star", "@/lib/c"].sort());
  });

  it("ignores imports inside comments and string literals", () => {
    const source = [
      '// import x from "./line-comment";',
      '/* import y from "./block-comment"; */',
      'const s = "import z from \'./in-string\'";',
      "const t = `export * from \"./in-template\"`;",
      'import real from "./real";',
    ].join("\n");
    expect(parseSpecifiers(source)).toEqual(["./real"]);
  });

  it("limits a stray apostrophe (JSX text, a regex) to its own line", () => {
    const source = ["const re = /[']/;", 'const later = () => import("./later");', "export const Page = () => <p>Don't panic</p>;", 'const other = () => import("./other");'].join("\n");
    expect(parseSpecifiers(source)).toEqual(["./later", "./other"]);
  });
});

describe("resolveSpecifier", () => {
  const files = new Set(["lib/a/x.ts", "lib/a/index.ts", "lib/b/kernel.mjs", "lib/b/view.tsx", "lib/c/index.tsx", "app/page.tsx"]);
  it.each([
    ["lib/b/view.tsx", "../a/x", "lib/a/x.ts"],
    ["lib/b/view.tsx", "../a/x.js", "lib/a/x.ts"],
    ["lib/b/view.tsx", "../a", "lib/a/index.ts"],
    ["lib/b/view.tsx", "./kernel.mjs", "lib/b/kernel.mjs"],
    ["app/page.tsx", "@/lib/b/view", "lib/b/view.tsx"],
    ["app/page.tsx", "@/lib/c", "lib/c/index.tsx"],
    ["app/page.tsx", "react", null],
    ["app/page.tsx", "node:fs", null],
    ["app/page.tsx", "@/scripts/outside", null],
  ])("%s imports %s: %s", (from, spec, want) => expect(resolveSpecifier(from, spec, files)).toBe(want));
});

describe("stronglyConnected", () => {
  it("finds each circle once, ignoring chains and single files", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", ["e"]],
      ["e", ["d"]],
      ["f", ["a"]],
      ["g", []],
    ]);
    expect(stronglyConnected(graph)).toEqual([
      ["a", "b", "c"],
      ["d", "e"],
    ]);
  });

  it("handles a long chain without recursion limits", () => {
    const n = 20_000;
    const graph = new Map(Array.from({ length: n }, (_, i) => [`f${i}`, [`f${(i + 1) % n}`]]));
    expect(stronglyConnected(graph)).toHaveLength(1);
    expect(stronglyConnected(graph)[0]).toHaveLength(n);
  });
});

describe("the check on a fixture tree", () => {
  const files = {
    // A circle inside one folder: allowed.
    "lib/a/x.ts": 'import { y } from "./y";\nexport const x = 1;',
    "lib/a/y.ts": 'import { x } from "./x";\nexport const y = 2;',
    // A circle through two folders, closed by a dynamic import: not allowed.
    "lib/b/p.ts": 'import { q } from "../c/q";\nexport const p = 1;',
    "lib/c/q.ts": 'export const q = () => import("@/lib/b");',
    "lib/b/index.ts": 'export * from "./p";',
    // One-way imports across folders, and a commented-out back edge: fine.
    "components/V.tsx": 'import { x } from "@/lib/a/x";\n// import { v } from "@/components/V";',
    "lib/d/e.ts": '/* import "@/components/V" */ import { x } from "../a/x";',
  };

  it("builds the graph from the files' imports", () => {
    const graph = buildGraph(tree(files));
    expect(graph.get("lib/c/q.ts")).toEqual(["lib/b/index.ts"]);
    expect(graph.get("lib/d/e.ts")).toEqual(["lib/a/x.ts"]);
    expect(graph.get("components/V.tsx")).toEqual(["lib/a/x.ts"]);
  });

  it("reports only the circle spanning folders, with its cross-folder edges", () => {
    const cycles = crossFolderCycles(buildGraph(tree(files)));
    expect(cycles).toEqual([
      {
        files: ["lib/b/index.ts", "lib/b/p.ts", "lib/c/q.ts"],
        folders: ["lib/b", "lib/c"],
        edges: [
          ["lib/b/index.ts", "lib/b/p.ts"],
          ["lib/b/p.ts", "lib/c/q.ts"],
          ["lib/c/q.ts", "lib/b/index.ts"],
        ],
      },
    ]);
  });

  it("counts a subfolder as a folder of its own", () => {
    const cycles = crossFolderCycles(buildGraph(tree({ "lib/p/loader.ts": 'import "./host/service";', "lib/p/host/service.ts": 'import type { L } from "../loader";' })));
    expect(cycles.map((c) => c.folders)).toEqual([["lib/p", "lib/p/host"]]);
  });

  it("fails on a new cross-folder circle, naming its files and edges", () => {
    const { code, out } = run(tree(files));
    expect(code).toBe(1);
    expect(out).toContain("error: new cross-folder import cycle");
    expect(out).toContain("lib/c/q.ts -> lib/b/index.ts");
    expect(out).toContain("1 new cross-folder, 0 known");
  });

  it("passes with a warning when the baseline lists the circle, and flags a stale entry", () => {
    const baseline = {
      cycles: [
        { why: "being removed", files: ["lib/b/index.ts", "lib/b/p.ts", "lib/c/q.ts", "lib/c/gone.ts"] },
        { why: "already gone", files: ["lib/z/a.ts", "lib/y/b.ts"] },
      ],
    };
    const { code, out } = run(tree({ ...files, "scripts/cycle-baseline.json": JSON.stringify(baseline) }));
    expect(code).toBe(0);
    expect(out).toContain("warning: known cross-folder import cycle (baseline: being removed)");
    expect(out).toContain("baseline entry no longer needed, remove it from scripts/cycle-baseline.json: already gone");
    expect(out).toContain("0 new cross-folder, 1 known (baseline), 1 stale");
  });

  it("passes without any cross-folder circle", () => {
    const { "lib/c/q.ts": _closesTheCircle, ...rest } = files;
    expect(run(tree(rest)).code).toBe(0);
  });
});

describe("compareWithBaseline", () => {
  const cycle = (files: string[]) => ({ files, folders: [], edges: [] });
  it("treats a circle that grew beyond its baseline entry as new", () => {
    const r = compareWithBaseline([cycle(["a/1.ts", "b/2.ts", "c/3.ts"])], { cycles: [{ why: "", files: ["a/1.ts", "b/2.ts"] }] });
    expect(r.fresh).toHaveLength(1);
    expect(r.known).toHaveLength(0);
  });

  it("keeps a shrunken or split circle known", () => {
    const r = compareWithBaseline([cycle(["a/1.ts", "b/2.ts"]), cycle(["c/3.ts", "d/4.ts"])], { cycles: [{ why: "", files: ["a/1.ts", "b/2.ts", "c/3.ts", "d/4.ts"] }] });
    expect(r.fresh).toHaveLength(0);
    expect(r.known).toHaveLength(2);
    expect(r.stale).toHaveLength(0);
  });
});
