import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";

// The catalog's options (issue #15) in lib/config.ts: lists from env (comma-separated) or TOML arrays.
const noArgs: string[] = ["node", "server"];

describe("plugin catalog options", () => {
  it("defaults to no repositories or keys, signatures optional, private hosts refused, 3 packages kept", () => {
    const c = loadConfig({}, noArgs);
    expect(c.Plugins).toMatchObject({ Repositories: [], TrustedKeys: [], AllowPrivateRepositories: false, RequireSignature: false, AutoUpdate: false, KeepPackages: 3 });
  });

  it("reads comma-separated lists from the environment and arrays from TOML", () => {
    const env = loadConfig({ ND_PLUGINS_REPOSITORIES: " https://a.example/c.json, ,https://b.example/c.json ", ND_PLUGINS_TRUSTEDKEYS: "k1,k2", ND_PLUGINS_ALLOWPRIVATEREPOSITORIES: "true" }, noArgs);
    expect(env.Plugins.Repositories).toEqual(["https://a.example/c.json", "https://b.example/c.json"]);
    expect(env.Plugins.TrustedKeys).toEqual(["k1", "k2"]);
    expect(env.Plugins.AllowPrivateRepositories).toBe(true);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "catalog-config-")), "navidrome.toml");
    writeFileSync(file, '[Plugins]\nRepositories = ["https://a.example/c.json"]\nTrustedKeys = ["-----BEGIN PUBLIC KEY-----\\nMCow\\n-----END PUBLIC KEY-----"]\nRequireSignature = true\nKeepPackages = 5\n');
    const toml = loadConfig({ ND_CONFIGFILE: file }, noArgs);
    expect(toml.Plugins).toMatchObject({ Repositories: ["https://a.example/c.json"], RequireSignature: true, KeepPackages: 5 });
    expect(toml.Plugins.TrustedKeys[0]).toContain("-----BEGIN PUBLIC KEY-----\nMCow");
    expect(() => loadConfig({ ND_PLUGINS_KEEPPACKAGES: "0" }, noArgs)).toThrow(/Plugins.KeepPackages/);
  });
});
