// How plugin sources in this repository find the AssemblyScript PDK, shared by `ndp build`
// and scripts/build-plugins.mjs (plain JavaScript so that build script can import it).
//
// Plugins import the PDK by its package name, `@tessitura/ndp-pdk`, as they would from npm.
// asc resolves packages from node_modules folders and from `--path` folders; here the package
// is served from plugins/pdk/assemblyscript through a virtual `--path` folder (asc's readFile
// hook), so nothing has to be linked or installed. A plugin folder with its own
// node_modules/@tessitura/ndp-pdk uses that copy instead (asc looks there first).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

export const PDK_NAME = "@tessitura/ndp-pdk";
const root = path.resolve(import.meta.dirname, "../..");
export const PDK_DIR = path.join(root, "plugins/pdk/assemblyscript");
const VIRTUAL_PACKAGES = path.join(path.parse(root).root, "__tessitura_asc_packages__");
const VIRTUAL_PDK = path.join(VIRTUAL_PACKAGES, PDK_NAME);

/**
 * asc options that make `@tessitura/ndp-pdk` (and @extism/as-pdk, which it uses) resolvable
 * from any plugin folder: extra `--path` arguments and a readFile that maps the virtual folder.
 */
export function pdkResolution() {
  return {
    args: ["--path", VIRTUAL_PACKAGES, "--path", path.join(root, "node_modules")],
    async readFile(filename, baseDir) {
      const full = path.resolve(baseDir, filename);
      const target = full.startsWith(VIRTUAL_PDK + path.sep) ? path.join(PDK_DIR, full.slice(VIRTUAL_PDK.length + 1)) : full;
      try {
        return await readFile(target, "utf8");
      } catch {
        return null;
      }
    },
  };
}

/** A hash of every PDK source file, so builds that use the PDK are redone when it changes. */
export function pdkHash() {
  const h = createHash("sha256");
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === "node_modules") continue;
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".ts")) h.update(path.relative(PDK_DIR, p)).update(readFileSync(p));
    }
  };
  walk(PDK_DIR);
  return h.digest("hex");
}

/**
 * Compiles `<dir>/index.ts` as the build does for every plugin: optimised, incremental runtime
 * with its helpers exported, and `abort` routed to the entry file's `myAbort`. Answers the
 * wasm bytes; throws with the compiler's diagnostics on failure.
 */
export async function compilePlugin(dir, outFile) {
  const asc = (await import("assemblyscript/asc")).default;
  const resolution = pdkResolution();
  const stderr = [];
  const { error } = await asc.main(
    ["index.ts", "--baseDir", dir, "--outFile", path.resolve(outFile), "--use", "abort=index/myAbort", "--optimize", "--runtime", "incremental", "--exportRuntime", "--noColors", ...resolution.args],
    { stderr: { write: (s) => stderr.push(String(s)) }, stdout: { write: () => {} }, readFile: resolution.readFile },
  );
  if (error) throw new Error(`${stderr.join("").trim() || error.message}`);
  return readFileSync(path.resolve(outFile));
}
