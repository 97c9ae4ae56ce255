#!/usr/bin/env node
// Builds every plugin source folder under plugins/testdata (and plugins/examples when present)
// into build/plugins/<name>.wasm and build/plugins/<name>.ndp.
//
// A source folder holds manifest.json plus exactly one of:
//   index.ts      AssemblyScript with @extism/as-pdk or the repository's PDK, @tessitura/ndp-pdk
//                 (must declare `function myAbort(...)`)
//   plugin.wat    hand-written WebAssembly text, assembled with wabt
//   generate.mjs  a module whose default export returns the wasm bytes (Uint8Array)
// Builds are cached by a hash of the folder's files, so re-running is cheap.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import AdmZip from "adm-zip";
import { pdkHash, pdkResolution } from "./ndp/asc.mjs";

const root = path.resolve(import.meta.dirname, "..");
const outDir = path.join(root, "build", "plugins");
const sourceRoots = ["plugins/testdata", "plugins/examples"].map((d) => path.join(root, d));
const selfHash = createHash("sha256").update(readFileSync(import.meta.filename)).digest("hex");

function hashFiles(h, dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isFile()) h.update(name).update(readFileSync(p));
  }
}

// A plugin's hash covers its own folder, the shared AssemblyScript helpers beside it
// (`<root>/_shared`) and, when it imports it, the PDK (plugins/pdk/assemblyscript), so editing
// a helper rebuilds every plugin that may import it.
let pdkDigest;
function folderHash(dir) {
  const h = createHash("sha256").update(selfHash);
  hashFiles(h, dir);
  const shared = path.join(path.dirname(dir), "_shared");
  if (existsSync(shared)) hashFiles(h, shared);
  const entry = path.join(dir, "index.ts");
  if (existsSync(entry) && readFileSync(entry, "utf8").includes("@tessitura/ndp-pdk")) h.update((pdkDigest ??= pdkHash()));
  return h.digest("hex");
}

let wabtPromise;
async function assembleWat(file) {
  wabtPromise ??= import("wabt").then((m) => m.default());
  const wabt = await wabtPromise;
  const mod = wabt.parseWat(file, readFileSync(file, "utf8"), { multi_value: true, bulk_memory: true, mutable_globals: true, sign_extension: true });
  try {
    mod.resolveNames();
    mod.validate();
    return Uint8Array.from(mod.toBinary({ log: false }).buffer);
  } finally {
    mod.destroy();
  }
}

async function compileAssemblyScript(dir) {
  const asc = (await import("assemblyscript/asc")).default;
  const rel = path.relative(root, path.join(dir, "index")).split(path.sep).join("/");
  const outFile = path.join(outDir, `${path.basename(dir)}.wasm`);
  const stderr = [];
  const resolution = pdkResolution();
  const { error } = await asc.main(
    [path.join(dir, "index.ts"), "--outFile", outFile, "--use", `abort=${rel}/myAbort`, "--optimize", "--runtime", "incremental", "--exportRuntime", ...resolution.args],
    { stderr: { write: (s) => stderr.push(String(s)) }, stdout: { write: () => {} }, readFile: resolution.readFile },
  );
  if (error) throw new Error(`asc failed for ${dir}: ${error.message}\n${stderr.join("")}`);
  return readFileSync(outFile);
}

async function buildOne(dir) {
  const name = path.basename(dir);
  const manifestPath = path.join(dir, "manifest.json");
  if (!existsSync(manifestPath)) return null;
  const ndp = path.join(outDir, `${name}.ndp`);
  const hashFile = path.join(outDir, `${name}.hash`);
  const hash = folderHash(dir);
  if (existsSync(ndp) && existsSync(hashFile) && readFileSync(hashFile, "utf8") === hash) return { name, cached: true };

  let wasm;
  if (existsSync(path.join(dir, "plugin.wat"))) wasm = await assembleWat(path.join(dir, "plugin.wat"));
  else if (existsSync(path.join(dir, "index.ts"))) wasm = await compileAssemblyScript(dir);
  else if (existsSync(path.join(dir, "generate.mjs"))) wasm = await (await import(pathToFileURL(path.join(dir, "generate.mjs")).href)).default();
  else throw new Error(`${dir}: no index.ts, plugin.wat or generate.mjs`);

  writeFileSync(path.join(outDir, `${name}.wasm`), wasm);
  const zip = new AdmZip();
  zip.addFile("manifest.json", readFileSync(manifestPath));
  zip.addFile("plugin.wasm", Buffer.from(wasm));
  zip.writeZip(ndp);
  writeFileSync(hashFile, hash);
  return { name, cached: false };
}

export async function buildPlugins({ quiet = false } = {}) {
  mkdirSync(outDir, { recursive: true });
  const dirs = sourceRoots.filter(existsSync).flatMap((r) =>
    readdirSync(r).map((n) => path.join(r, n)).filter((p) => statSync(p).isDirectory()),
  );
  const results = [];
  for (const dir of dirs) {
    const r = await buildOne(dir);
    if (r) results.push(r);
  }
  if (!quiet) {
    const built = results.filter((r) => !r.cached).map((r) => r.name);
    console.log(`plugins: ${results.length} packages in build/plugins (${built.length} rebuilt${built.length ? `: ${built.join(", ")}` : ""})`);
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildPlugins().catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
