import AdmZip from "adm-zip";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { CatalogVersion } from "../../plugin-catalog/types";

const built = path.resolve(import.meta.dirname, "../../../build/plugins");

/** build/plugins/test-lyrics.ndp with its manifest's `version` (and `permissions`) rewritten. */
export function lyricsPackage(version: string, permissions?: Record<string, unknown>): Buffer {
  const zip = new AdmZip(readFileSync(path.join(built, "test-lyrics.ndp")));
  const manifest = JSON.parse(zip.readAsText("manifest.json")) as Record<string, unknown>;
  zip.updateFile("manifest.json", Buffer.from(JSON.stringify({ ...manifest, version, ...(permissions ? { permissions } : {}) })));
  return zip.toBuffer();
}

export const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/**
 * A catalog site on 127.0.0.1 for tests: `/catalog.json` answers the plugins set with
 * `setPlugins`, `/pkg/<name>` the packages `publish`ed.
 */
export async function serveCatalogSite() {
  const files = new Map<string, Buffer>();
  let plugins: { id: string; name: string; versions: CatalogVersion[] }[] = [];
  const server = createServer((req, res) => {
    if (req.url === "/catalog.json") {
      res.setHeader("Content-Type", "application/json");
      return res.end(JSON.stringify({ schemaVersion: 1, name: "Test catalog", plugins }));
    }
    const body = files.get(req.url ?? "");
    if (!body) return void res.writeHead(404).end("not found");
    res.setHeader("Content-Length", String(body.length));
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    catalogUrl: `${url}/catalog.json`,
    /** Serves `bytes` as `/pkg/<name>`; answers its catalog entry. */
    publish(name: string, bytes: Buffer, extra: Partial<CatalogVersion> = {}): CatalogVersion {
      files.set(`/pkg/${name}`, bytes);
      const version = (JSON.parse(new AdmZip(bytes).readAsText("manifest.json")) as { version: string }).version;
      return { version, url: `pkg/${name}`, sha256: sha256(bytes), size: bytes.length, ...extra };
    },
    /** Serves raw bytes at a path (packages that are not valid .ndp files). */
    serve(pathname: string, bytes: Buffer) {
      files.set(pathname, bytes);
    },
    setPlugins(list: { id: string; versions: CatalogVersion[] }[]) {
      plugins = list.map((p) => ({ name: p.id, ...p }));
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
