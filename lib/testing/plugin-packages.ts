import { readFileSync } from "node:fs";
import path from "node:path";
import AdmZip from "adm-zip";

const built = path.join(import.meta.dirname, "../../build/plugins");

/**
 * Writes `<as>.ndp` into `folder`: the built plugin `name` with its manifest changed by
 * `edit` (e.g. a permission removed), so one test plugin serves several manifests.
 */
export function installVariant(folder: string, name: string, as: string, edit: (manifest: Record<string, any>) => void): void {
  const zip = new AdmZip(path.join(built, `${name}.ndp`));
  const manifest = JSON.parse(zip.readAsText("manifest.json")) as Record<string, any>;
  edit(manifest);
  const out = new AdmZip();
  out.addFile("manifest.json", Buffer.from(JSON.stringify(manifest)));
  out.addFile("plugin.wasm", readFileSync(path.join(built, `${name}.wasm`)));
  out.writeZip(path.join(folder, `${as}.ndp`));
}
