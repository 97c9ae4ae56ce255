import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AdmZip from "adm-zip";
import { beforeAll, describe, expect, it } from "vitest";
import { AUTH_HEADER, tokenFor } from "../auth/session";
import { db } from "../db/client";
import { findPlugin, updatePlugin } from "../db/plugins";
import { pluginManager } from "../plugins";
import { configValidationPool } from "../plugins/config-validation-pool";
import type { PluginManager } from "../plugins/manager";
import { SCHEMA_LIMITS } from "../plugins/schema-limits";
import { waitFor } from "../testing/background-plugins";
import { bootTestServer } from "../testing/boot-test-server";
import { serveHandler } from "../testing/serve-handler";
import * as uploadRoute from "../../app/api/plugin/upload/route";
import * as pluginRoute from "../../app/api/plugin/[id]/route";

// Finding 1 of "Trust the sandbox": a 2 KB config schema whose `$defs` levels are
// `anyOf: [{$ref next}, {$ref next}]` doubled ajv's work per level (depth 20 blocked the
// server ~6 s, depth 24 ran it out of heap). Every path that compiles a plugin schema now
// refuses it before ajv sees it, quickly, while the server keeps answering.

const built = path.join(import.meta.dirname, "../../build/plugins");
const folder = mkdtempSync(path.join(tmpdir(), "tessitura-schema-bomb-"));
const LIMIT_MESSAGE = new RegExp(`config schema too complex: validation fan-out .* exceeds limit of ${SCHEMA_LIMITS.maxFanOut}`);
let manager: PluginManager;
let admin = "";

/** The exact bomb of the finding. */
function schemaBomb(depth: number): Record<string, unknown> {
  const $defs: Record<string, unknown> = {};
  for (let i = 0; i < depth; i++) $defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i + 1}` }, { $ref: `#/$defs/d${i + 1}` }] };
  $defs[`d${depth}`] = { type: "string" };
  return { $defs, $ref: "#/$defs/d0" };
}

/** A working package (wat-return-codes) whose manifest carries `schema`. */
function bombPackage(schema: Record<string, unknown>): Buffer {
  const zip = new AdmZip(readFileSync(path.join(built, "wat-return-codes.ndp")));
  const manifest = JSON.parse(zip.readAsText("manifest.json"));
  manifest.config = { schema };
  zip.updateFile("manifest.json", Buffer.from(JSON.stringify(manifest)));
  return zip.toBuffer();
}

/** Bystander latency (ms) sampled while `attack` runs: the server must keep answering. */
async function during<T>(attack: () => Promise<T>): Promise<{ outcome: T; p99: number; ms: number }> {
  const samples: number[] = [];
  let done = false;
  const t0 = performance.now();
  const running = attack().finally(() => (done = true));
  const ms = running.then(() => performance.now() - t0);
  while (!done) {
    const t = performance.now();
    await manager.call("bystander", "output_string", {});
    samples.push(performance.now() - t);
    await new Promise((r) => setImmediate(r));
  }
  samples.sort((a, b) => a - b);
  return { outcome: await running, p99: samples[Math.floor(samples.length * 0.99)] ?? 0, ms: await ms };
}

beforeAll(async () => {
  // Already in the folder at boot: a new bomb, next to plugins that must keep working.
  writeFileSync(path.join(folder, "boot-bomb.ndp"), bombPackage(schemaBomb(24)));
  copyFileSync(path.join(built, "wat-return-codes.ndp"), path.join(folder, "bystander.ndp"));
  copyFileSync(path.join(built, "test-config.ndp"), path.join(folder, "victim.ndp"));
  await bootTestServer({ ND_PLUGINS_FOLDER: folder, ND_PLUGINS_AUTORELOAD: "true" });
  manager = pluginManager()!;
  await manager.enable("bystander");
  admin = await tokenFor(await db().user.findFirstOrThrow({ where: { isAdmin: true } }));
});

describe("schema bomb at boot", () => {
  it("the server booted, the bomb is listed as invalid with the limit, the others load", async () => {
    expect(await findPlugin("boot-bomb")).toBeNull(); // a new invalid package is not inserted (contract §1.8)
    expect(manager.invalidPackages().find((p) => p.file === "boot-bomb.ndp")?.error).toMatch(LIMIT_MESSAGE);
    expect(await manager.call("bystander", "output_string", {})).toBeDefined();
    await manager.saveSettings("victim", { config: JSON.stringify({ apiKey: "k" }) });
    await manager.enable("victim");
    expect(manager.loadedPlugin("victim")).toBeDefined();
  });

  it("a known plugin whose package became a bomb gets lastError naming the limit and is not loaded", async () => {
    writeFileSync(path.join(folder, "victim.ndp"), bombPackage(schemaBomb(60)));
    const { p99, ms } = await during(() => manager.sync()); // start-up runs this same sync
    const row = (await findPlugin("victim"))!;
    expect(row.lastError).toMatch(LIMIT_MESSAGE);
    expect(row.enabled).toBe(false);
    expect(manager.loadedPlugin("victim")).toBeUndefined();
    expect(ms).toBeLessThan(1000);
    expect(p99).toBeLessThan(200);
  });

  it("a stored row that still holds a bomb (saved before the fix) cannot be enabled", async () => {
    const bomb = bombPackage(schemaBomb(20));
    writeFileSync(path.join(folder, "legacy.ndp"), readFileSync(path.join(built, "wat-return-codes.ndp")));
    await manager.sync();
    // What an unguarded server stored after its 6 s parse: the bomb's manifest and file.
    writeFileSync(path.join(folder, "legacy.ndp"), bomb);
    const { createHash } = await import("node:crypto");
    const manifest = JSON.parse(new AdmZip(bomb).readAsText("manifest.json"));
    await updatePlugin("legacy", { manifest: JSON.stringify(manifest), sha256: createHash("sha256").update(bomb).digest("hex") });
    const { outcome, p99 } = await during(() => manager.enable("legacy").then(() => null, (e: Error) => e));
    expect(outcome?.message).toMatch(LIMIT_MESSAGE);
    expect((await findPlugin("legacy"))!.enabled).toBe(false);
    expect(manager.loadedPlugin("legacy")).toBeUndefined();
    expect(p99).toBeLessThan(200);
  });
});

describe("schema bomb on upload", () => {
  it.each([20, 24, 60])("depth %i is refused in well under a second, naming the limit, while the server answers", async (depth) => {
    const server = await serveHandler((req) => uploadRoute.POST(req as never, { params: Promise.resolve({}) } as never));
    try {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(bombPackage(schemaBomb(depth)))]), `bomb-${depth}.ndp`);
      const { outcome: res, p99, ms } = await during(() => fetch(`${server.url}/api/plugin/upload`, { method: "POST", headers: { [AUTH_HEADER]: `Bearer ${admin}` }, body: form }));
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(LIMIT_MESSAGE);
      expect(ms).toBeLessThan(1000);
      expect(p99).toBeLessThan(200);
      expect(existsSync(path.join(folder, `bomb-${depth}.ndp`))).toBe(false);
      expect(await findPlugin(`bomb-${depth}`)).toBeNull();
    } finally {
      await server.close();
    }
  });
});

describe("schema bomb on auto-reload", () => {
  it("a bomb dropped over an enabled plugin disables it with lastError; a new one is listed invalid", async () => {
    writeFileSync(path.join(folder, "reloaded.ndp"), readFileSync(path.join(built, "wat-return-codes.ndp")));
    await waitFor(async () => (await findPlugin("reloaded")) !== null, 15_000, "reloaded discovered");
    await manager.enable("reloaded");
    const { p99 } = await during(async () => {
      writeFileSync(path.join(folder, "reloaded.ndp"), bombPackage(schemaBomb(24)));
      writeFileSync(path.join(folder, "dropped.ndp"), bombPackage(schemaBomb(60)));
      await waitFor(async () => (await findPlugin("reloaded"))!.lastError, 15_000, "lastError after reload");
      await waitFor(() => manager.invalidPackages().some((p) => p.file === "dropped.ndp"), 15_000, "dropped listed");
    });
    const row = (await findPlugin("reloaded"))!;
    expect(row.lastError).toMatch(LIMIT_MESSAGE);
    expect(row.enabled).toBe(false);
    expect(manager.loadedPlugin("reloaded")).toBeUndefined();
    expect(manager.invalidPackages().find((p) => p.file === "dropped.ndp")!.error).toMatch(LIMIT_MESSAGE);
    expect(await findPlugin("dropped")).toBeNull();
    expect(p99).toBeLessThan(200);
  });
});

describe("schema bomb on config save", () => {
  const put = (id: string, body: unknown) =>
    pluginRoute.PUT(new Request(`http://127.0.0.1/api/plugin/${id}`, { method: "PUT", headers: { [AUTH_HEADER]: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify(body) }) as never, {
      params: Promise.resolve({ id }),
    } as never);

  it("a stored bomb schema is refused with a 400 naming the limit, quickly", async () => {
    writeFileSync(path.join(folder, "saver.ndp"), readFileSync(path.join(built, "test-config.ndp")));
    await manager.sync();
    const row = (await findPlugin("saver"))!;
    await updatePlugin("saver", { manifest: JSON.stringify({ ...JSON.parse(row.manifest), config: { schema: schemaBomb(24) } }) });
    const { outcome: res, p99, ms } = await during(() => put("saver", { config: "{}" }));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(LIMIT_MESSAGE);
    expect(ms).toBeLessThan(1000);
    expect(p99).toBeLessThan(200);
  });

  it("a huge config against a legit schema is refused as too large", async () => {
    const res = await put("bystander-config", {}).catch(() => null); // unknown id: 404, route stays usable
    expect(res?.status).toBe(404);
    writeFileSync(path.join(folder, "big.ndp"), readFileSync(path.join(built, "test-config.ndp")));
    await manager.sync();
    const big = await put("big", { config: JSON.stringify({ apiKey: "k", blob: "x".repeat(1_100_000) }) });
    expect(big.status).toBe(400);
    expect((await big.json()).error).toMatch(/^config too large: size \d+ bytes exceeds limit of 1048576$/);
  });
});

// Follow-up: the static limits bound everything but regex backtracking. A pattern that
// repeats single atoms in a row (`^\d+\d+\d+x$`) passes them and backtracks
// polynomially: ~4 s on 2000 characters, on the main thread before the fix. Server-side
// validation now runs in a worker under a 1 s budget. Nested repetitions whose iterations
// cannot overlap (hostnames, IPv4, comma lists), which Navidrome's RE2 accepts, are no
// longer refused at install.
describe("slow patterns: config validation off the main thread", () => {
  const SLOW = "^\\d+\\d+\\d+x$";
  const HOSTNAME = "^([a-z0-9-]+\\.)+[a-z]{2,}$";
  const IPV4 = "^(\\d{1,3}\\.){3}\\d{1,3}$";
  const LIST = "^([A-Za-z0-9_-]+,)*[A-Za-z0-9_-]+$";
  const TIMEOUT_MESSAGE = /^validating config: took longer than 1s \(the plugin's config schema may contain a slow pattern\)$/;
  const schema = {
    type: "object",
    properties: {
      code: { type: "string", pattern: SLOW },
      host: { type: "string", pattern: HOSTNAME },
      ip: { type: "string", pattern: IPV4 },
      tags: { type: "string", pattern: LIST },
      labels: { type: "string", pattern: "^([a-z]+\\.)*$" },
    },
  };
  const put = (id: string, body: unknown) =>
    pluginRoute.PUT(new Request(`http://127.0.0.1/api/plugin/${id}`, { method: "PUT", headers: { [AUTH_HEADER]: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify(body) }) as never, {
      params: Promise.resolve({ id }),
    } as never);
  const upload = async (name: string, pkg: Buffer) => {
    const server = await serveHandler((req) => uploadRoute.POST(req as never, { params: Promise.resolve({}) } as never));
    try {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(pkg)]), name);
      const res = await fetch(`${server.url}/api/plugin/upload`, { method: "POST", headers: { [AUTH_HEADER]: `Bearer ${admin}` }, body: form });
      return { status: res.status, body: await res.json() };
    } finally {
      await server.close();
    }
  };

  it("hostname, IPv4 and list patterns are accepted at install and validate values both ways", async () => {
    const res = await upload("patterns.ndp", bombPackage(schema));
    expect(res).toEqual({ status: 201, body: { id: "patterns", replaced: false } });
    const good = await put("patterns", { config: JSON.stringify({ code: "123x", host: "music.example.org", ip: "192.168.1.20", tags: "rock,jazz,lo-fi", labels: "a.b." }) });
    expect(good.status).toBe(200);
    const bad = await put("patterns", { config: JSON.stringify({ code: "12", host: "localhost", ip: "1.2.3", tags: "rock,,jazz", labels: "A." }) });
    expect(bad.status).toBe(400);
    const { fields } = await bad.json();
    expect(Object.keys(fields).sort()).toEqual(["code", "host", "ip", "labels", "tags"]);
    expect(fields.host).toBe(`must match pattern "${HOSTNAME}"`);
  });

  it.each(["^(\\w+\\s?)*$", "^(a|aa)*$", "^([a-z]+)+$"])("the exponentially ambiguous %s is still refused at install", async (pattern) => {
    const res = await upload("ambiguous.ndp", bombPackage({ type: "object", properties: { v: { type: "string", pattern } } }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/config schema too complex: pattern at \/properties\/v\/pattern can match the same text in more than one way/);
    expect(await findPlugin("ambiguous")).toBeNull();
  });

  it("a save that backtracks polynomially answers 400 within ~1.5 s while the server keeps answering", async () => {
    expect((await put("patterns", { config: JSON.stringify({ code: "1x" }) })).status).toBe(400); // the worker is up
    const { outcome: res, p99, ms } = await during(() => put("patterns", { config: JSON.stringify({ code: "1".repeat(2500) }) }));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(TIMEOUT_MESSAGE);
    expect(ms).toBeLessThan(1500);
    expect(p99).toBeLessThan(200);
  });

  it("the timed-out worker is replaced: the next save is validated normally", async () => {
    const started = configValidationPool().stats.workersStarted;
    const res = await put("patterns", { config: JSON.stringify({ code: "1234x", host: "a.example.com" }) });
    expect(res.status).toBe(200);
    expect(JSON.parse((await res.json()).config)).toMatchObject({ code: "1234x" });
    expect(configValidationPool().stats.workersStarted).toBe(started + 1);
    const bad = await put("patterns", { config: JSON.stringify({ ip: "300.1" }) });
    expect((await bad.json()).fields).toEqual({ ip: `must match pattern "${IPV4}"` });
  });

  it("loading a stored config does not validate it against the schema (contract §5.11), so a slow pattern cannot stall a load", async () => {
    // Stored without the API (a row saved before the schema changed): enabling must not run the pattern.
    await manager.saveSettings("patterns", { config: JSON.stringify({ code: "1".repeat(5000) }) });
    const { outcome, p99, ms } = await during(() => manager.enable("patterns").then(() => null, (e: Error) => e));
    expect(outcome).toBeNull();
    expect(manager.loadedPlugin("patterns")).toBeDefined();
    expect(ms).toBeLessThan(1500);
    expect(p99).toBeLessThan(200);
  });
});
