import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findPlugin, listPlugins } from "../db/plugins";
import { bootTestServer } from "../testing/boot-test-server";
import { createUser, deleteUser, listUsers } from "../users/users";
import { FunctionNotFoundError, NotImplementedError, PluginCallError } from "./errors";
import { pluginManager, type PluginManager } from "./index";

const built = path.join(import.meta.dirname, "../../build/plugins");
const pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-plugins-"));
const install = (name: string, as = name) => copyFileSync(path.join(built, `${name}.ndp`), path.join(pluginsFolder, `${as}.ndp`));

let manager: PluginManager;
let adminId = "";

beforeAll(async () => {
  for (const n of ["test-config", "test-metadata-agent", "partial-metadata-agent", "test-scrobbler", "wat-return-codes", "wat-loop", "wat-missing-import", "wat-scrobbler-no-users", "wat-scheduler-no-callback", "wat-taskqueue-no-execute", "test-state", "wat-lifecycle"])
    install(n);
  writeFileSync(path.join(pluginsFolder, "broken.ndp"), "this is not a zip");
  await bootTestServer({ ND_PLUGINS_FOLDER: pluginsFolder, ND_PLUGINS_CALLTIMEOUT: "1s", ND_PLUGINS_LOGLEVEL: "info" });
  manager = pluginManager()!;
  adminId = (await listUsers())[0].id;
});

describe("discovery (contract §5.3-§5.4, §1.8)", () => {
  it("adds new packages disabled and keeps invalid ones out of the table, listing why", async () => {
    const rows = await listPlugins();
    expect(rows.map((r) => r.id)).toContain("test-config");
    expect(rows.every((r) => !r.enabled)).toBe(true);
    expect(rows.some((r) => r.id === "broken")).toBe(false);
    expect(manager.invalidPackages()).toEqual([expect.objectContaining({ file: "broken.ndp", error: expect.stringMatching(/^opening package: /) })]);
  });

  it("stores the manifest re-serialised, without unknown keys", async () => {
    const row = await findPlugin("test-metadata-agent");
    expect(row!.manifest).not.toContain("capabilities");
    expect(row!.manifest).not.toContain("allowedURLs");
    expect(Object.keys(JSON.parse(row!.manifest))).toEqual([...Object.keys(JSON.parse(row!.manifest))].sort());
  });

  it("disables a plugin whose file changed and keeps its settings; removes the row of a deleted file", async () => {
    install("test-lyrics", "swap");
    await manager.sync();
    await manager.saveSettings("swap", { config: '{"no_lang":"true"}' });
    await manager.enable("swap");
    install("test-metadata-agent", "swap");
    const report = await manager.sync();
    expect(report.changed).toEqual(["swap"]);
    const row = await findPlugin("swap");
    expect(row).toMatchObject({ enabled: false, config: '{"no_lang":"true"}' });
    expect(manager.loadedPlugin("swap")).toBeUndefined();
    rmSync(path.join(pluginsFolder, "swap.ndp"));
    expect((await manager.sync()).removed).toEqual(["swap"]);
    expect(await findPlugin("swap")).toBeNull();
  });
});

describe("a package corrupted on disk while enabled (contract §1.8)", () => {
  it("is unloaded and disabled with the error kept, and the others keep working", async () => {
    install("test-lyrics", "fragile");
    await manager.sync();
    await manager.enable("fragile");
    writeFileSync(path.join(pluginsFolder, "fragile.ndp"), "garbage, not a zip");
    await manager.sync();
    const row = await findPlugin("fragile");
    expect(row).toMatchObject({ enabled: false, lastError: expect.stringMatching(/^opening package: /) });
    expect(manager.loadedPlugin("fragile")).toBeUndefined();
    rmSync(path.join(pluginsFolder, "fragile.ndp"));
    await manager.sync();
  });
});

describe("enable gates and load rules (contract §1.7, §5.6)", () => {
  it("refuses to enable a users plugin without a user selection, then enables it with 'all users'", async () => {
    await expect(manager.enable("test-scrobbler")).rejects.toThrow("users permission requires configuration: select users or enable 'all users' access");
    await manager.saveSettings("test-scrobbler", { allUsers: true });
    const r = await manager.enable("test-scrobbler");
    expect(r.enabled).toBe(true);
    expect(manager.pluginsWith("Scrobbler")).toContain("test-scrobbler");
  });

  it.each([
    ["wat-missing-import", /^creating instance: "kvstore_get" is not exported in module "extism:host\/user"/],
    ["wat-scrobbler-no-users", /^manifest validation: scrobbler capability requires 'users' permission to be declared in manifest$/],
    ["wat-scheduler-no-callback", /^manifest validation: 'scheduler' permission requires plugin to export 'nd_scheduler_callback' function$/],
    ["wat-taskqueue-no-execute", /^manifest validation: 'taskqueue' permission requires plugin to export 'nd_task_execute' function$/],
  ])("keeps %s disabled with the load error in lastError", async (id, message) => {
    await expect(manager.enable(id)).rejects.toThrow(message);
    const row = await findPlugin(id);
    expect(row!.enabled).toBe(false);
    expect(row!.lastError).toMatch(message);
  });

  it("clears lastError when the file changes to a valid package, and enables it then", async () => {
    expect((await findPlugin("wat-missing-import"))!.lastError).not.toBe("");
    install("test-lyrics", "wat-missing-import");
    await manager.sync();
    expect((await findPlugin("wat-missing-import"))!.lastError).toBe("");
    expect((await manager.enable("wat-missing-import")).enabled).toBe(true);
    expect(manager.pluginsWith("Lyrics")).toContain("wat-missing-import");
  });
});

describe("calling convention through the manager (contract §2.3-§2.4)", () => {
  beforeAll(async () => {
    await manager.enable("wat-return-codes");
    await manager.enable("partial-metadata-agent");
  });

  it("maps return codes and error_set exactly", async () => {
    await expect(manager.call("wat-return-codes", "ret_minus2", {})).rejects.toBeInstanceOf(NotImplementedError);
    await expect(manager.call("wat-return-codes", "ret_minus1", {})).rejects.toThrow("plugin call exited with code 4294967295");
    await expect(manager.call("wat-return-codes", "ret_7", {})).rejects.toThrow("plugin call exited with code 7");
    await expect(manager.call("wat-return-codes", "error_with_zero", {})).rejects.toThrow("plugin call failed: boom");
    await expect(manager.call("wat-return-codes", "error_with_minus2", {})).rejects.toBeInstanceOf(PluginCallError);
    await expect(manager.call("wat-return-codes", "nd_nope", {})).rejects.toBeInstanceOf(FunctionNotFoundError);
    expect(await manager.call("wat-return-codes", "output_null", {})).toBeNull();
    expect(await manager.call("wat-return-codes", "ok_empty", {})).toBeUndefined();
  });

  it("answers -2 from a Go-PDK style partial agent as not implemented, and its real export works", async () => {
    await expect(manager.call("partial-metadata-agent", "nd_get_artist_url", { id: "1", name: "X" })).rejects.toBeInstanceOf(NotImplementedError);
    expect(await manager.call("partial-metadata-agent", "nd_get_artist_biography", { id: "1", name: "Björk" })).toEqual({ biography: "Partial biography for Björk" });
  });

  it("records metrics for real calls but not for the sentinels", async () => {
    const metrics = manager.activity("wat-return-codes").metrics();
    expect(metrics.find((m) => m.name === "ret_7")?.errors).toBeGreaterThan(0);
    expect(metrics.find((m) => m.name === "ret_minus2")).toBeUndefined();
  });

  it("times out a runaway plugin and keeps serving it afterwards", async () => {
    await manager.enable("wat-loop");
    const t = performance.now();
    await expect(manager.call("wat-loop", "nd_get_artist_biography", { id: "1", name: "x" })).rejects.toThrow("plugin call failed: module closed with context deadline exceeded");
    expect(performance.now() - t).toBeLessThan(3000);
    await expect(manager.call("wat-return-codes", "ret_7", {})).rejects.toThrow("code 7");
  });
});

describe("configuration (contract §2.9, §4.1, §5.7)", () => {
  it("passes the saved config to the plugin and reloads on save", async () => {
    await manager.saveSettings("test-config", { config: JSON.stringify({ greeting: "Hi", apiKey: "k", advanced: { retries: 2 } }) });
    await manager.enable("test-config");
    expect(await manager.call("test-config", "nd_get_artist_biography", { id: "1", name: "Ana" })).toEqual({ biography: "Hi Ana" });
    const before = manager.loadedPlugin("test-config")!.loadedAt;
    await manager.saveSettings("test-config", { config: JSON.stringify({ greeting: "Hola", apiKey: "k" }) });
    expect(manager.loadedPlugin("test-config")!.loadedAt).not.toBe(before);
    expect(await manager.call("test-config", "nd_get_artist_biography", { id: "1", name: "Ana" })).toEqual({ biography: "Hola Ana" });
  });

  it("serves config_get/getint/keys with Navidrome's encoding of non-string values", async () => {
    await manager.saveSettings("test-config", { config: JSON.stringify({ greeting: "Hi", apiKey: "k", n: 3, flag: true, nested: { b: 1, a: "<x>" } }) });
    const get = (body: object) => manager.call("test-config", "nd_test_config", body);
    expect(await get({ op: "get", key: "n" })).toEqual({ value: "3", exists: true });
    expect(await get({ op: "get", key: "nested" })).toEqual({ value: '{"a":"\\u003cx\\u003e","b":1}', exists: true });
    expect(await get({ op: "get", key: "missing" })).toEqual({});
    expect(await get({ op: "getint", key: "n" })).toEqual({ value: 3, exists: true });
    expect(await get({ op: "getint", key: "flag" })).toEqual({});
    expect(await get({ op: "keys", prefix: "" })).toEqual({ keys: ["apiKey", "flag", "greeting", "n", "nested"] });
  });

  it("refuses to load a plugin whose stored config is not a JSON object", async () => {
    await expect(manager.saveSettings("test-config", { config: "[1,2]" })).rejects.toThrow(/parsing plugin config/);
    expect((await findPlugin("test-config"))!.enabled).toBe(false);
  });
});

describe("lifecycle (contract §3.6)", () => {
  const inits = () => manager.activity("wat-lifecycle").recentLines().filter((l) => l.message === "init ran").length;

  it("runs nd_on_init after every load, including reloads caused by a settings save", async () => {
    await manager.enable("wat-lifecycle");
    expect(inits()).toBe(1);
    await manager.saveSettings("wat-lifecycle", { config: '{"x":"1"}' });
    expect(inits()).toBe(2);
  });

  it("only logs a failing nd_on_init; the plugin stays loaded and callable", async () => {
    await manager.saveSettings("wat-lifecycle", { config: '{"fail":"yes"}' });
    expect(inits()).toBe(3);
    expect(manager.activity("wat-lifecycle").recentLines().some((l) => l.level === "error" && /init failed on purpose/.test(l.message))).toBe(true);
    expect((await findPlugin("wat-lifecycle"))!.enabled).toBe(true);
    expect(await manager.call("wat-lifecycle", "ping", {})).toEqual({ ok: true });
  });
});

describe("user deletion (contract §5.8)", () => {
  it("disables a plugin left without users", async () => {
    const u = await createUser({ userName: "solo", password: "pw-solo-123", isAdmin: false });
    await manager.saveSettings("test-scrobbler", { allUsers: false, users: [u.id] });
    expect((await findPlugin("test-scrobbler"))!.enabled).toBe(true);
    await deleteUser(u.id, { id: adminId });
    const row = await findPlugin("test-scrobbler");
    expect(row).toMatchObject({ enabled: false, users: [] });
  });
});
