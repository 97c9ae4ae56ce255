import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import AdmZip from "adm-zip";
import { isUsablePluginId, pluginIdFromFileName } from "@/lib/plugins/id";
import { parseManifest } from "@/lib/plugins/manifest/parse";
import { UsageError } from "./args";
import { compilePlugin } from "./asc.mjs";

/** A build failure worth showing as is (compiler diagnostics, manifest errors). */
export class BuildError extends Error {
  name = "BuildError";
}

export interface BuildResult {
  id: string;
  package: string;
  wasm: string;
  packageBytes: number;
  wasmBytes: number;
}

/**
 * The package layout the server reads (contract §1.1): `manifest.json` and `plugin.wasm` at
 * the archive root and nothing else, as `zip -j` would write them.
 */
export function writePackage(file: string, manifest: Uint8Array, wasm: Uint8Array): void {
  const zip = new AdmZip();
  zip.addFile("manifest.json", Buffer.from(manifest));
  zip.addFile("plugin.wasm", Buffer.from(wasm));
  mkdirSync(path.dirname(file), { recursive: true });
  zip.writeZip(file);
}

/**
 * `ndp build [dir]`: checks the manifest as the server will, compiles `index.ts` with asc (the
 * repository's build flags) into `dist/plugin.wasm`, and packages `dist/<id>.ndp`. The id is
 * the folder name unless `--out`/`--id` says otherwise.
 */
export async function buildPlugin(dirArg: string, opts: { cwd: string; out?: string; id?: string }): Promise<BuildResult> {
  const dir = path.resolve(opts.cwd, dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a folder`);
  const manifestFile = path.join(dir, "manifest.json");
  const entry = path.join(dir, "index.ts");
  if (!existsSync(manifestFile)) throw new BuildError(`${manifestFile} not found (ndp init creates one)`);
  if (!existsSync(entry)) throw new BuildError(`${entry} not found: the build compiles index.ts`);

  const manifest = readFileSync(manifestFile);
  try {
    parseManifest(manifest);
  } catch (err) {
    throw new BuildError(`manifest.json: ${(err as Error).message}`);
  }

  const out = opts.out ? path.resolve(opts.cwd, opts.out) : path.join(dir, "dist", `${opts.id ?? path.basename(dir)}.ndp`);
  const id = pluginIdFromFileName(out);
  if (id === null) throw new UsageError(`the package name must end in .ndp: ${out}`);
  if (!isUsablePluginId(id)) throw new UsageError(`${JSON.stringify(id)} cannot be a plugin id`);
  const wasmFile = path.join(path.dirname(out), "plugin.wasm");
  mkdirSync(path.dirname(out), { recursive: true });

  let wasm: Uint8Array;
  try {
    wasm = await compilePlugin(dir, wasmFile);
  } catch (err) {
    throw new BuildError(`asc could not compile ${entry}:\n${(err as Error).message}`);
  }
  writePackage(out, manifest, wasm);
  writeFileSync(wasmFile, wasm);
  return { id, package: out, wasm: wasmFile, packageBytes: statSync(out).size, wasmBytes: wasm.byteLength };
}
