import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseDuration, parseSize } from "./config";
import { ConfigError } from "./errors";

const noArgs: string[] = ["node", "server"];

function tomlFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "cfg-"));
  const file = path.join(dir, "navidrome.toml");
  writeFileSync(file, text);
  return file;
}

describe("loadConfig", () => {
  it("has Navidrome's defaults with nothing set", () => {
    const c = loadConfig({}, noArgs);
    expect(c.Port).toBe(4533);
    expect(c.Plugins.Enabled).toBe(true);
    expect(c.Plugins.AutoReload).toBe(false);
    expect(c.Plugins.CacheSize).toBe("200MB");
    expect(c.resolved.dataFolder).toBe(path.resolve("./data"));
    expect(c.resolved.pluginsFolder).toBe(path.join(path.resolve("./data"), "plugins"));
    expect(c.Agents).toBe("deezer,lastfm,listenbrainz");
  });

  it("reads ND_* variables, including nested Plugins options", () => {
    const c = loadConfig({ ND_PORT: "5000", ND_PLUGINS_ENABLED: "false", ND_PLUGINS_FOLDER: "/srv/plugins", ND_DATAFOLDER: "/srv/data", ND_LOGLEVEL: "debug" }, noArgs);
    expect(c.Port).toBe(5000);
    expect(c.Plugins.Enabled).toBe(false);
    expect(c.resolved.pluginsFolder).toBe("/srv/plugins");
    expect(c.resolved.databaseFile).toBe("/srv/data/tessitura.db");
    expect(c.LogLevel).toBe("debug");
  });

  it("reads a TOML file case-insensitively, and the environment wins over it", () => {
    const file = tomlFile(`port = 4600\nmusicfolder = "/music"\n[plugins]\nautoreload = true\ncachesize = "50MB"\n`);
    const c = loadConfig({ ND_CONFIGFILE: file, ND_PORT: "4700" }, noArgs);
    expect(c.Port).toBe(4700);
    expect(c.resolved.musicFolder).toBe("/music");
    expect(c.Plugins.AutoReload).toBe(true);
    expect(c.Plugins.CacheSize).toBe("50MB");
  });

  it("takes --configfile over ND_CONFIGFILE", () => {
    const a = tomlFile("Port = 1111\n");
    const b = tomlFile("Port = 2222\n");
    expect(loadConfig({ ND_CONFIGFILE: b }, ["node", "x", "--configfile", a]).Port).toBe(1111);
    expect(loadConfig({ ND_CONFIGFILE: b }, ["node", "x", `--configfile=${a}`]).Port).toBe(1111);
  });

  it("accepts dotted keys and ignores unknown ones", () => {
    const file = tomlFile(`Plugins.Enabled = false\nSomethingElse = 3\n`);
    expect(loadConfig({ ND_CONFIGFILE: file }, noArgs).Plugins.Enabled).toBe(false);
  });

  it.each([
    [{ ND_PORT: "abc" }, /Port: .*\(from ND_PORT\)/],
    [{ ND_PORT: "70000" }, /Port/],
    [{ ND_PLUGINS_ENABLED: "maybe" }, /Plugins\.Enabled.*ND_PLUGINS_ENABLED/],
    [{ ND_LOGLEVEL: "loud" }, /LogLevel/],
    [{ ND_PLUGINS_CACHESIZE: "lots" }, /Plugins\.CacheSize/],
    [{ ND_BASEURL: "music/" }, /BaseUrl/],
    [{ ND_REVERSEPROXYWHITELIST: "10.0.0.1,not-an-ip" }, /ReverseProxyWhitelist.*ND_REVERSEPROXYWHITELIST/],
    [{ ND_REVERSEPROXYWHITELIST: "10.0.0.0/33" }, /ReverseProxyWhitelist/],
  ])("stops with one message naming the key for %o", (env, pattern) => {
    expect(() => loadConfig(env as Record<string, string>, noArgs)).toThrow(ConfigError);
    expect(() => loadConfig(env as Record<string, string>, noArgs)).toThrow(pattern);
  });

  it("reads ReverseProxyWhitelist (IPs and CIDRs, v4 and v6) under Navidrome's name", () => {
    expect(loadConfig({ ND_REVERSEPROXYWHITELIST: "10.0.0.1, 172.16.0.0/12,fd00::/8" }, noArgs).ReverseProxyWhitelist).toBe("10.0.0.1, 172.16.0.0/12,fd00::/8");
    expect(loadConfig({}, noArgs).ReverseProxyWhitelist).toBe("");
  });

  it("names the file and key for a bad value in TOML, and reports TOML syntax errors", () => {
    expect(() => loadConfig({ ND_CONFIGFILE: tomlFile('Port = "x"\n') }, noArgs)).toThrow(/Port: .*navidrome\.toml: Port/);
    expect(() => loadConfig({ ND_CONFIGFILE: tomlFile("Port = = 3\n") }, noArgs)).toThrow(/invalid configuration file/);
  });
});

describe("parseSize", () => {
  it.each([
    ["200MB", 200_000_000],
    ["1KB", 1000],
    ["256MiB", 256 * 1024 * 1024],
    ["10", 10],
    ["1.5GB", 1_500_000_000],
  ])("%s = %d bytes", (text, bytes) => expect(parseSize(text)).toBe(bytes));
});

describe("parseDuration", () => {
  it.each([
    ["30s", 30_000],
    ["1h30m", 5_400_000],
    ["250ms", 250],
    ["48h", 172_800_000],
  ])("%s = %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));
});
