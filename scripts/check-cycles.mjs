#!/usr/bin/env node
// Fitness check for issue #16: "the import graph has no circle spanning more than one
// folder". Reads every import/export-from/dynamic import of the .ts/.tsx/.mjs/.js files
// under lib/, app/ and components/, builds the file graph, finds its strongly connected
// components and fails (exit 1) when one spans more than one directory and is not
// covered by the baseline (scripts/cycle-baseline.json). A folder is a file's directory,
// so lib/plugins and lib/plugins/host are different folders; circles inside one folder
// are allowed. Type-only imports count: they couple folders just the same.
//
//   node scripts/check-cycles.mjs            check the repository
//   node scripts/check-cycles.mjs --print    print every cross-folder cycle as baseline JSON
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Folders whose files form the graph. */
export const SOURCE_DIRS = ["lib", "app", "components"];
const EXTENSIONS = [".ts", ".tsx", ".mjs", ".js"];
/** Generated code (the Prisma client) and dependencies are not ours to untangle. */
const SKIP_DIRS = new Set(["node_modules", "generated", ".next", "build"]);

/** Every source file under `dirs` of `root`, as root-relative POSIX paths, sorted. */
export function collectFiles(root, dirs = SOURCE_DIRS) {
  const out = [];
  const walk = (rel) => {
    let entries;
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(child);
      } else if (EXTENSIONS.some((x) => e.name.endsWith(x)) && !e.name.endsWith(".d.ts")) out.push(child);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

/**
 * `source` without comments, and with the contents of string and template literals
 * blanked except for their quotes, so that only code is searched for imports; the
 * specifiers themselves are read back from the original at the same offsets.
 */
function codeOnly(source) {
  let out = "";
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      while (i < n && source[i] !== "\n") (out += " "), i++;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? n : end + 2;
      for (; i < stop; i++) out += source[i] === "\n" ? "\n" : " ";
    } else if (c === '"' || c === "'" || c === "`") {
      out += c;
      i++;
      // A quote or apostrophe ends at the line's end at the latest (JS strings cannot span
      // lines), so a stray one in a regex or JSX text hides at most the rest of its line.
      while (i < n && source[i] !== c && (c === "`" || source[i] !== "\n")) {
        if (source[i] === "\\") (out += "  "), (i += 2);
        else (out += source[i] === "\n" ? "\n" : "\0"), i++;
      }
      if (i < n && source[i] === c) (out += c), i++;
    } else (out += c), i++;
  }
  return out;
}

const PATTERNS = [
  // import x from "m"; import { a } from "m"; import type { T } from "m"; export { a } from "m"; export * from "m"
  /\b(?:import|export)\s+(?:type\s+)?(?:[\w$*{}\s,]+?\s+from\s*)?(["'])/g,
  // import("m") (dynamic), also `await import("m")`
  /\bimport\s*\(\s*(["'])/g,
];

/** The module specifiers `source` imports, re-exports from, or imports dynamically (string literals only). */
export function parseSpecifiers(source) {
  const code = codeOnly(source);
  const found = new Set();
  for (const re of PATTERNS) {
    re.lastIndex = 0;
    for (let m; (m = re.exec(code)); ) {
      const start = m.index + m[0].length;
      const end = code.indexOf(m[1], start);
      if (end > start) found.add(source.slice(start, end));
    }
  }
  return [...found];
}

/**
 * The graph file `spec` (imported from `from`) names, or null when it is not one of
 * `files` (a package, a file outside the checked folders). `@/x` is `x` from the root;
 * extensions and `index` files are tried as TypeScript's bundler resolution does.
 */
export function resolveSpecifier(from, spec, files) {
  let base;
  if (spec.startsWith("@/")) base = spec.slice(2);
  else if (spec.startsWith("./") || spec.startsWith("../")) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  else return null;
  const stem = base.replace(/\.(m?js|jsx)$/, "");
  const candidates = [base, ...EXTENSIONS.map((x) => `${stem}${x}`), ...EXTENSIONS.map((x) => `${base}/index${x}`)];
  return candidates.find((c) => files.has(c)) ?? null;
}

/** file → sorted list of the files it imports, for the source files under `root`. */
export function buildGraph(root, dirs = SOURCE_DIRS) {
  const list = collectFiles(root, dirs);
  const files = new Set(list);
  const graph = new Map();
  for (const file of list) {
    const targets = new Set();
    for (const spec of parseSpecifiers(readFileSync(path.join(root, file), "utf8"))) {
      const target = resolveSpecifier(file, spec, files);
      if (target && target !== file) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Tarjan's strongly connected components (iterative), each sorted; only those with more than one file. */
export function stronglyConnected(graph) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const out = [];
  let counter = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const [node, i] = frame;
      const edges = graph.get(node) ?? [];
      if (i < edges.length) {
        frame[1]++;
        const next = edges[i];
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push([next, 0]);
        } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        if (component.length > 1) out.push(component.sort());
      }
    }
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const folderOf = (file) => path.posix.dirname(file);

/** The components spanning more than one folder, each with its folders and the edges between its files. */
export function crossFolderCycles(graph) {
  return stronglyConnected(graph)
    .map((files) => {
      const members = new Set(files);
      const edges = files.flatMap((from) => (graph.get(from) ?? []).filter((to) => members.has(to)).map((to) => [from, to]));
      return { files, folders: [...new Set(files.map(folderOf))].sort(), edges };
    })
    .filter((c) => c.folders.length > 1);
}

/**
 * Splits `cycles` by the baseline: a cycle whose files all belong to one baseline entry
 * is known (a shrinking or split cycle stays known); any other is new. Baseline entries
 * no cycle touches any more are stale and can be deleted.
 */
export function compareWithBaseline(cycles, baseline) {
  const entries = (baseline?.cycles ?? []).map((e) => ({ ...e, set: new Set(e.files) }));
  const known = [];
  const fresh = [];
  const used = new Set();
  for (const c of cycles) {
    const entry = entries.find((e) => c.files.every((f) => e.set.has(f)));
    if (entry) {
      used.add(entry);
      known.push({ ...c, why: entry.why });
    } else fresh.push(c);
  }
  return { known, fresh, stale: entries.filter((e) => !used.has(e)) };
}

function describe(c) {
  const cross = c.edges.filter(([a, b]) => folderOf(a) !== folderOf(b));
  return [
    `  ${c.files.length} files in ${c.folders.length} folders (${c.folders.join(", ")})`,
    ...c.files.map((f) => `    ${f}`),
    `  cross-folder edges (${cross.length} of ${c.edges.length}):`,
    ...cross.map(([a, b]) => `    ${a} -> ${b}`),
  ].join("\n");
}

/** Runs the check on `root`; returns the exit code. */
export function main(root, argv = []) {
  const cycles = crossFolderCycles(buildGraph(root));
  if (argv.includes("--print")) {
    console.log(JSON.stringify({ cycles: cycles.map((c) => ({ why: "", files: c.files })) }, null, 2));
    return 0;
  }
  let baseline = null;
  try {
    baseline = JSON.parse(readFileSync(path.join(root, "scripts", "cycle-baseline.json"), "utf8"));
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
  }
  const { known, fresh, stale } = compareWithBaseline(cycles, baseline);
  for (const c of known) console.warn(`warning: known cross-folder import cycle (baseline: ${c.why || "no reason given"})\n${describe(c)}`);
  for (const e of stale) console.warn(`note: baseline entry no longer needed, remove it from scripts/cycle-baseline.json: ${e.why || e.files.join(", ")}`);
  for (const c of fresh) console.error(`error: new cross-folder import cycle\n${describe(c)}`);
  console.log(`import cycles: ${fresh.length} new cross-folder, ${known.length} known (baseline), ${stale.length} stale baseline entries`);
  return fresh.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exit(main(path.resolve(import.meta.dirname, ".."), process.argv.slice(2)));
}
