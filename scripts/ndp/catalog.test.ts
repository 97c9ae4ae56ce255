import { createHash } from "node:crypto";
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCatalog } from "@/lib/plugin-catalog/format";
import { parseTrustedKeys, signatureStatus } from "@/lib/plugin-catalog/signature";
import type { Catalog } from "@/lib/plugin-catalog/types";
import { runNdp, runNdpJson } from "./cli-process";

// An author publishing a catalog, as child processes: keygen → catalog → sign (docs/plugin-catalog.md).
const built = path.join(import.meta.dirname, "../../build/plugins");
const work = mkdtempSync(path.join(tmpdir(), "ndp-catalog-"));
const dist = path.join(work, "dist");
const read = (f: string): Catalog => parseCatalog(JSON.parse(readFileSync(path.join(work, f), "utf8")));
const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
let key: { keyId: string; publicKey: string; privateKeyFile: string };

beforeAll(() => {
  mkdirSync(path.join(dist, "lyrics"), { recursive: true });
  copyFileSync(path.join(built, "test-http.ndp"), path.join(dist, "test-http.ndp"));
  copyFileSync(path.join(built, "test-lyrics.ndp"), path.join(dist, "lyrics", "test-lyrics.ndp"));
});

describe("ndp keygen", () => {
  it("writes a private key only its owner can read and prints the public key to trust", async () => {
    const r = await runNdpJson(["keygen", "--out", "author.pem"], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    key = r.json as typeof key;
    expect(key.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(statSync(path.join(work, "author.pem")).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(work, "author.pem.pub"), "utf8").trim()).toBe(key.publicKey);
    const again = await runNdp(["keygen", "--out", "author.pem"], { cwd: work });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("author.pem exists; pass --force");
  });
});

describe("ndp catalog", () => {
  it("describes every package under the folder as the server reads it", async () => {
    const r = await runNdp(["catalog", "dist", "--out", "dist/catalog.json", "--name", "Ada's plugins"], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Wrote dist/catalog.json: "Ada's plugins", 2 plugin(s), 2 version(s)`);
    const c = read("dist/catalog.json");
    expect(c.plugins.map((p) => p.id)).toEqual(["test-http", "test-lyrics"]);
    const http = c.plugins[0].versions[0];
    expect(http).toMatchObject({
      version: "1.0.0",
      url: "test-http.ndp",
      sha256: sha(path.join(dist, "test-http.ndp")),
      size: statSync(path.join(dist, "test-http.ndp")).size,
      minApi: "v0.61.0", // http_send arrived in v0.61.0
      permissions: ["http"],
      libraryWrite: false,
    });
    expect(http.hosts).toContain("api.example.com");
    expect(c.plugins[1].versions[0]).toMatchObject({ url: "lyrics/test-lyrics.ndp", capabilities: ["Lyrics"], minApi: "v0.61.0" });
  });

  it("keeps versions no longer in the folder and hand-written release notes; --base-url makes URLs absolute", async () => {
    const c = read("dist/catalog.json");
    c.plugins[0].versions[0].releaseNotes = "First release.";
    c.plugins[0].versions.push({ ...c.plugins[0].versions[0], version: "0.9.0", releaseNotes: "Beta." });
    writeFileSync(path.join(dist, "catalog.json"), JSON.stringify(c));
    rmSync(path.join(dist, "lyrics"), { recursive: true });
    const r = await runNdpJson(["catalog", "dist", "--out", "dist/catalog.json", "--base-url", "https://plugins.example.com/files"], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.added).toEqual([]);
    const after = read("dist/catalog.json");
    expect(after.name).toBe("Ada's plugins");
    expect(after.plugins.map((p) => p.id)).toEqual(["test-http", "test-lyrics"]);
    expect(after.plugins[0].versions.map((v) => [v.version, v.releaseNotes, v.url])).toEqual([
      ["1.0.0", "First release.", "https://plugins.example.com/files/test-http.ndp"],
      ["0.9.0", "Beta.", "test-http.ndp"],
    ]);
    expect((await runNdp(["catalog", "nowhere"], { cwd: work })).stderr).toContain("nowhere is not a folder");
  });
});

describe("ndp sign", () => {
  it("signs every version so that servers trusting the key call them trusted", async () => {
    const r = await runNdpJson(["sign", "--key", "author.pem", "dist/catalog.json"], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    // Only test-http 0.9.0 has a relative URL whose file is still there to hash.
    expect(r.json).toMatchObject({ signed: 3, keyId: key.keyId, checked: 1 });
    const c = read("dist/catalog.json");
    expect(c.publicKeys).toEqual([{ keyId: key.keyId, key: key.publicKey }]);
    const statuses = (trusted: string[]) => c.plugins.flatMap((p) => p.versions.map((v) => signatureStatus(p.id, v, c.publicKeys, parseTrustedKeys(trusted))));
    expect(statuses([key.publicKey])).toEqual(["trusted", "trusted", "trusted"]);
    expect(statuses([])).toEqual(["untrusted-key", "untrusted-key", "untrusted-key"]);
  });

  it("refuses to sign a hash that does not match the package next to the catalog", async () => {
    appendFileSync(path.join(dist, "test-http.ndp"), "tampered");
    const r = await runNdp(["sign", "--key", "author.pem", "dist/catalog.json"], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/test-http 0\.9\.0: test-http\.ndp has sha256 [0-9a-f]{64}, the catalog says/);
    const usage = await runNdp(["sign", "dist/catalog.json"], { cwd: work });
    expect(usage.code).toBe(2);
    // `ndp catalog --key` rebuilds and signs in one go.
    const rebuilt = await runNdpJson(["catalog", "dist", "--out", "dist/catalog.json", "--key", "author.pem"], { cwd: work });
    expect(rebuilt.json).toMatchObject({ signed: 3, added: [{ id: "test-http", version: "1.0.0" }] });
  });
});
