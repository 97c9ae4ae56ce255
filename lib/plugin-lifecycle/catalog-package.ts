import "server-only";
import { rmSync } from "node:fs";
import { AppError } from "../errors";
import type { ResolvedVersion } from "../plugin-catalog/types";
import type { PluginManager } from "../plugins";
import type { Manifest } from "../plugins/manifest/types";
import { openPackage } from "../plugins/package";
import { settings } from "../server/settings";
import { downloadToFile, DownloadError } from "./download";
import { tempPackagePath } from "./store";
import { wasmFunctionExports } from "./wasm-exports";

/** A downloaded catalog package that passed every check; `file` is a temporary file the caller removes. */
export interface VerifiedPackage {
  file: string;
  sha256: string;
  size: number;
  manifest: Manifest;
  exportNames: string[];
}

/** `Plugins.RequireSignature`: only packages whose catalog signature is trusted (checked before any download). */
export function assertSignatureAccepted(resolved: ResolvedVersion): void {
  const status = resolved.version.signatureStatus;
  if (settings().Plugins.RequireSignature && status !== "trusted")
    throw new AppError("UNPROCESSABLE", `package signature is ${status}; Plugins.RequireSignature refuses it`);
}

/** An explicitly chosen version the server cannot run is refused with the catalog's reason. */
export function assertCompatible(resolved: ResolvedVersion): void {
  if (!resolved.version.compatible)
    throw new AppError("UNPROCESSABLE", `${resolved.plugin.id} ${resolved.version.version} is not compatible with this server: ${resolved.version.compatibilityNote ?? "outside its API range"}`);
}

/**
 * Downloads a catalog version to a temporary file under the data folder and checks it
 * before anything touches the plugins folder: the size and sha256 the catalog declared
 * (the download stops at the declared size), then the package as an upload is checked
 * (archive, manifest), and its manifest version against the catalog's.
 */
export async function downloadVerifiedPackage(manager: PluginManager, resolved: ResolvedVersion): Promise<VerifiedPackage> {
  const { plugin, version } = resolved;
  const file = tempPackagePath(manager, plugin.id);
  try {
    let got;
    try {
      got = await downloadToFile(resolved.packageUrl, file, { maxBytes: version.size, allowPrivate: settings().Plugins.AllowPrivateRepositories });
    } catch (err) {
      if (err instanceof DownloadError && err.message.startsWith("package size mismatch")) throw new AppError("UNPROCESSABLE", err.message);
      if (err instanceof DownloadError) throw new AppError("UNAVAILABLE", err.message);
      throw err;
    }
    if (got.size !== version.size) throw new AppError("UNPROCESSABLE", `package size mismatch: expected ${version.size} bytes, got ${got.size}`);
    const expected = version.sha256.toLowerCase();
    if (got.sha256 !== expected) throw new AppError("UNPROCESSABLE", `package sha256 mismatch: expected ${expected}, got ${got.sha256}`);
    let opened;
    try {
      opened = await openPackage(file);
    } catch (err) {
      throw new AppError("UNPROCESSABLE", (err as Error).message);
    }
    if (opened.manifest.version !== version.version)
      throw new AppError("UNPROCESSABLE", `the package says it is version ${opened.manifest.version}, the catalog says ${version.version}`);
    let exportNames: string[];
    try {
      exportNames = wasmFunctionExports(opened.wasm);
    } catch (err) {
      throw new AppError("UNPROCESSABLE", `reading wasm: ${(err as Error).message}`);
    }
    return { file, sha256: got.sha256, size: got.size, manifest: opened.manifest, exportNames };
  } catch (err) {
    rmSync(file, { force: true });
    throw err;
  }
}
