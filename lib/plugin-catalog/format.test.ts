import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CatalogFormatError, parseCatalog, parseCatalogText } from "./format";
import { apiCompatibility, compareVersions, SERVER_PLUGIN_API } from "./versions";
import { NEWEST_KNOWN_RELEASE } from "../plugins/compat/host-functions";

const sha = "a".repeat(64);
const good = () => ({
  schemaVersion: 1,
  name: "Example",
  plugins: [{ id: "lyrics-x", name: "Lyrics X", versions: [{ version: "1.0.0", url: "lyrics-x.ndp", sha256: sha, size: 10, minApi: "v0.61.0" }] }],
});

function errorOf(json: unknown): CatalogFormatError {
  try {
    parseCatalog(json);
  } catch (err) {
    if (err instanceof CatalogFormatError) return err;
    throw err;
  }
  throw new Error("parsed");
}

describe("parseCatalog", () => {
  it("accepts a minimal catalog and ignores unknown properties", () => {
    const c = { ...good(), "x-mirror": "https://mirror.example" };
    expect(parseCatalog(c).plugins[0].versions[0].sha256).toBe(sha);
  });

  it("names the field of the first problem", () => {
    const cases: [(c: ReturnType<typeof good>) => void, string, RegExp][] = [
      [(c) => ((c.plugins[0].versions[0] as Record<string, unknown>).sha256 = "ABC"), "plugins[0].versions[0].sha256", /64 lowercase hex digits/],
      [(c) => delete (c.plugins[0].versions[0] as Record<string, unknown>).size, "plugins[0].versions[0].size", /is required/],
      [(c) => ((c.plugins[0].versions[0] as Record<string, unknown>).size = "10"), "plugins[0].versions[0].size", /must be integer/],
      [(c) => ((c.plugins[0].versions[0] as Record<string, unknown>).minApi = "0.61"), "plugins[0].versions[0].minApi", /Navidrome release such as "v0.61.0"/],
      [(c) => ((c.plugins[0] as Record<string, unknown>).id = "../evil"), "plugins[0].id", /must be a plugin id/],
      [(c) => ((c as Record<string, unknown>).schemaVersion = 2), "schemaVersion", /must be 1/],
      // Shown as links and downloaded: no javascript:, file: or data: URLs.
      [(c) => ((c.plugins[0] as Record<string, unknown>).homepage = "javascript:alert(1)"), "plugins[0].homepage", /must be an http or https URL/],
      [(c) => (c.plugins[0].versions[0].url = "file:///etc/passwd"), "plugins[0].versions[0].url", /must be an http or https URL, or relative/],
      [(c) => (c.plugins[0].versions[0].url = "JavaScript:alert(1)"), "plugins[0].versions[0].url", /must be an http or https URL, or relative/],
      [(c) => delete (c as Record<string, unknown>).name, "name", /is required/],
      [(c) => (c.plugins[0].versions = []), "plugins[0].versions", /must NOT have fewer than 1 items/],
      [(c) => c.plugins.push({ ...c.plugins[0] }), "plugins[1].id", /"lyrics-x" is listed twice/],
      [(c) => c.plugins[0].versions.push({ ...c.plugins[0].versions[0], version: "v1.0.0" }), "plugins[0].versions[1].version", /listed twice/],
    ];
    for (const [mutate, field, text] of cases) {
      const c = good();
      mutate(c);
      const err = errorOf(c);
      expect(err.field, err.message).toBe(field);
      expect(err.message.startsWith(`${field}: `)).toBe(true);
      expect(err.message).toMatch(text);
    }
  });

  it("refuses text that is not JSON", () => {
    expect(() => parseCatalogText("{nope")).toThrow(/catalog is not JSON/);
  });

  it("publishes the same schema in docs as it validates with", () => {
    const root = path.join(import.meta.dirname, "../..");
    expect(readFileSync(path.join(root, "docs/plugin-catalog.schema.json"), "utf8")).toBe(readFileSync(path.join(root, "lib/plugin-catalog/catalog.schema.json"), "utf8"));
  });
});

describe("versions", () => {
  it("orders semver-ish versions numerically, pre-releases first", () => {
    const sorted = ["1.10.0", "1.2.0", "v1.9", "2.0.0-beta.2", "2.0.0", "2.0.0-beta.10", "1.2.0-rc.1"].sort(compareVersions);
    expect(sorted).toEqual(["1.2.0-rc.1", "1.2.0", "v1.9", "1.10.0", "2.0.0-beta.2", "2.0.0-beta.10", "2.0.0"]);
    expect(compareVersions("v0.61.0", "0.61.0")).toBe(0);
  });

  it("is compatible when the server's API level is inside [minApi, maxApi]", () => {
    expect(SERVER_PLUGIN_API).toBe(NEWEST_KNOWN_RELEASE);
    expect(apiCompatibility({})).toEqual({ compatible: true });
    expect(apiCompatibility({ minApi: "v0.61.0" })).toEqual({ compatible: true });
    expect(apiCompatibility({ minApi: SERVER_PLUGIN_API, maxApi: SERVER_PLUGIN_API })).toEqual({ compatible: true });
    const newer = apiCompatibility({ minApi: "v9.0.0" });
    expect(newer.compatible).toBe(false);
    expect(newer.compatibilityNote).toBe(`needs the plugin API of Navidrome v9.0.0; this server implements it up to ${SERVER_PLUGIN_API}`);
    const capped = apiCompatibility({ minApi: "v0.60.0", maxApi: "v0.61.0" });
    expect(capped.compatible).toBe(false);
    expect(capped.compatibilityNote).toMatch(/declared to work up to Navidrome v0.61.0/);
    expect(apiCompatibility({ maxApi: "v0.59.0" }).compatibilityNote).toMatch(/older plugin ABI/);
    // The table's level decides, not a constant: an older server would refuse v0.64.0 plugins.
    expect(apiCompatibility({ minApi: "v0.64.0" }, "v0.63.0").compatible).toBe(false);
  });
});
