import "server-only";
import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import { ConfigError } from "./errors";

/**
 * Server configuration with Navidrome's option names, so operators can reuse a
 * `navidrome.toml` and their `ND_*` variables. Sources, lowest to highest priority:
 * defaults, the TOML file (`--configfile`, `ND_CONFIGFILE`, else `./navidrome.toml` when
 * present), then `ND_*` environment variables (`Plugins.Enabled` ⇔ `ND_PLUGINS_ENABLED`).
 * Keys are case-insensitive everywhere, as in Navidrome.
 */

const bool = z.union([z.boolean(), z.enum(["true", "false", "1", "0", "TRUE", "FALSE", "True", "False"]).transform((v) => v.toLowerCase() === "true" || v === "1")]);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const logLevel = z.enum(["error", "warn", "info", "debug", "trace"]);
const isIpOrCidr = (e: string) => {
  const [ip, bits, extra] = e.split("/");
  const family = isIP(ip);
  if (!family || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};
/** A list option: a TOML array, or a comma-separated string (env variables); blanks dropped. */
const list = z.union([z.array(z.string()), z.string()]).transform((v) => (Array.isArray(v) ? v : v.split(",")).map((e) => e.trim()).filter(Boolean));
const duration = z.string().regex(/^(\d+(\.\d+)?(ms|s|m|h))+$/, "must be a duration such as 30s, 5m or 24h");

const schema = z.object({
  DataFolder: z.string().min(1).default("./data"),
  MusicFolder: z.string().default(""),
  CacheFolder: z.string().default(""),
  Address: z.string().default("0.0.0.0"),
  Port: int(1, 65535).default(4533),
  BaseUrl: z.string().regex(/^(\/[^/].*[^/]|\/[^/]|)$/, "must be empty or start with / and not end with /").default(""),
  LogLevel: logLevel.default("info"),
  /** "auto": readable text when stdout is a terminal, JSON otherwise; or "text" / "json" (issue #17). */
  LogFormat: z.enum(["auto", "text", "json"]).default("auto"),
  SessionTimeout: duration.default("48h"),
  EnableNowPlaying: bool.default(true),
  Agents: z.string().default("deezer,lastfm,listenbrainz"),
  LyricsPriority: z.string().default(".lrc,.txt,embedded"),
  DevAutoCreateAdminPassword: z.string().default(""),
  ShareURL: z.string().default(""),
  /**
   * Reverse proxies whose `X-Forwarded-For` / `X-Real-IP` headers are believed (Navidrome's
   * option): comma-separated IPs or CIDRs. Empty: the client address is the socket's.
   */
  ReverseProxyWhitelist: z
    .string()
    .default("")
    .refine((v) => v.split(",").every((e) => !e.trim() || isIpOrCidr(e.trim())), "must be a comma-separated list of IP addresses or CIDRs (e.g. 172.16.0.0/12,10.0.0.1)"),
  Scanner: z
    .object({
      /** Scan the libraries in the background when the server starts (Navidrome's `Scanner.ScanOnStartup`). */
      ScanOnStartup: bool.default(true),
    })
    .prefault({}),
  Plugins: z
    .object({
      Enabled: bool.default(true),
      Folder: z.string().default(""),
      AutoReload: bool.default(false),
      LogLevel: z.union([logLevel, z.literal("")]).default(""),
      CacheSize: z.string().regex(/^\s*\d+(\.\d+)?\s*([kKmMgGtT]i?[bB]?|[bB])?\s*$/, "must be a size such as 200MB").default("200MB"),
      /** Per-call time limit (Navidrome: 30 s). Tessitura addition. */
      CallTimeout: duration.default("30s"),
      /** Linear-memory cap per plugin instance. Tessitura addition. */
      MemoryLimit: z.string().regex(/^\s*\d+(\.\d+)?\s*([kKmMgG]i?[bB]?|[bB])?\s*$/, "must be a size such as 256MiB").default("256MiB"),
      /** Worker threads running plugin code (0 = automatic). Tessitura addition. */
      Workers: int(0, 64).default(0),
      /** Plugin HTTP endpoint requests per client address and window (Navidrome PR #5045); ≤ 0 disables the limit. */
      EndpointRequestLimit: int(-1_000_000_000, 1_000_000_000).default(60),
      EndpointRequestWindow: duration.default("1m"),
      /** Plugin catalog URLs (issue #15; comma-separated or a TOML array), besides those admins add. */
      Repositories: list.default([]),
      /** ed25519 public keys (base64 raw 32 bytes, or PEM/SPKI) whose catalog signatures are trusted. */
      TrustedKeys: list.default([]),
      /** Lets catalogs and their packages live on loopback/private addresses (LAN catalogs, tests). */
      AllowPrivateRepositories: bool.default(false),
      /** Packages kept per plugin for rollback. */
      KeepPackages: int(1, 100).default(3),
      /** After each catalog refresh, apply updates that add no permissions. */
      AutoUpdate: bool.default(false),
      /** Refuse catalog packages whose signature status is not "trusted" (uploads stay allowed). */
      RequireSignature: bool.default(false),
    })
    .prefault({}),
  /** On-the-fly transcoding with ffmpeg (issue #17; lib/media/transcode, docs/transcoding.md). */
  Transcoding: z
    .object({
      Enabled: bool.default(true),
      /** The ffmpeg executable: a path, or a name looked up on PATH. Missing: originals are streamed. */
      FFmpegPath: z.string().default("ffmpeg"),
      /** Format used when a client only asks for a lower `maxBitRate` (Navidrome's DefaultDownsamplingFormat). */
      DefaultFormat: z.enum(["opus", "mp3", "aac"]).default("opus"),
      /** Profiles: argv templates (%s input file, %t start offset in seconds, %b bit rate in kbps) and default kbps. */
      OpusCommand: z.string().default("ffmpeg -v error -ss %t -i %s -map 0:a:0 -c:a libopus -b:a %bk -vbr constrained -f opus -"),
      OpusBitRate: int(6, 512).default(128),
      Mp3Command: z.string().default("ffmpeg -v error -ss %t -i %s -map 0:a:0 -c:a libmp3lame -b:a %bk -f mp3 -"),
      Mp3BitRate: int(8, 320).default(192),
      AacCommand: z.string().default("ffmpeg -v error -ss %t -i %s -map 0:a:0 -c:a aac -b:a %bk -f adts -"),
      AacBitRate: int(8, 512).default(192),
      /** Disk space for complete transcoded files, least recently used evicted first; 0 disables the cache. */
      CacheSize: z.string().regex(/^\s*\d+(\.\d+)?\s*([kKmMgGtT]i?[bB]?|[bB])?\s*$/, "must be a size such as 500MB").default("500MB"),
      /** Where the cache lives; default `<CacheFolder>/transcoding` (under the DataFolder). */
      CacheFolder: z.string().default(""),
      /** ffmpeg processes running at once; further requests wait their turn. */
      MaxConcurrent: int(1, 64).default(4),
    })
    .prefault({}),
});

/** Environment variables as read by the config loader. */
export type Env = Record<string, string | undefined>;

export type Config = z.infer<typeof schema> & {
  /** Absolute paths derived from the options above. */
  resolved: { dataFolder: string; musicFolder: string; cacheFolder: string; pluginsFolder: string; databaseFile: string; configFile: string | null };
};

/** Every known option, in canonical case, as dotted paths (`Plugins.Enabled`). */
const knownKeys: string[] = (() => {
  const keys: string[] = [];
  for (const [k, v] of Object.entries(schema.shape)) {
    let inner: z.ZodType = v;
    while ("innerType" in inner.def) inner = inner.def.innerType as z.ZodType; // unwrap default/prefault
    if (inner instanceof z.ZodObject) for (const sub of Object.keys(inner.shape)) keys.push(`${k}.${sub}`);
    else keys.push(k);
  }
  return keys;
})();

function setPath(target: Record<string, unknown>, dotted: string, value: unknown) {
  const [head, tail] = dotted.split(".", 2);
  if (tail === undefined) target[head] = value;
  else {
    const child = (target[head] ??= {}) as Record<string, unknown>;
    child[tail] = value;
  }
}

/** Flattens a TOML document into dotted canonical keys; unknown keys are ignored as Navidrome does. */
function fromToml(doc: Record<string, unknown>, out: Record<string, unknown>, origin: Map<string, string>, file: string) {
  const byLower = new Map(knownKeys.map((k) => [k.toLowerCase(), k]));
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const dotted = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)) walk(v as Record<string, unknown>, dotted);
      else {
        const canonical = byLower.get(dotted.toLowerCase());
        if (canonical) {
          setPath(out, canonical, v);
          origin.set(canonical, `${file}: ${dotted}`);
        }
      }
    }
  };
  walk(doc, "");
}

function fromEnv(env: Env, out: Record<string, unknown>, origin: Map<string, string>) {
  for (const key of knownKeys) {
    const name = `ND_${key.replace(/\./g, "_").toUpperCase()}`;
    const value = env[name];
    if (value !== undefined) {
      setPath(out, key, value);
      origin.set(key, name);
    }
  }
}

function configFilePath(argv: string[], env: Env): string | null {
  const i = argv.findIndex((a) => a === "--configfile" || a.startsWith("--configfile="));
  if (i >= 0) return argv[i].includes("=") ? argv[i].split("=", 2)[1] : (argv[i + 1] ?? null);
  if (env.ND_CONFIGFILE) return env.ND_CONFIGFILE;
  return existsSync("navidrome.toml") ? "navidrome.toml" : null;
}

/** Parses a size such as `200MB` (SI, as go-humanize) or `256MiB` into bytes. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(i?)[bB]?\s*$/.exec(text);
  if (!m) throw new Error(`invalid size ${JSON.stringify(text)}`);
  const power = " kmgt".indexOf(m[2].toLowerCase() || " ");
  return Math.round(Number(m[1]) * (m[3] ? 1024 : 1000) ** power);
}

/** Parses a Go-style duration (`1h30m`, `500ms`) into milliseconds. */
export function parseDuration(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as "ms"];
  return total;
}

/**
 * Loads the configuration. Throws ConfigError with one message naming the offending key
 * and where its value came from; never returns a partially valid config.
 */
export function loadConfig(env: Env = process.env, argv: string[] = process.argv): Config {
  const raw: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  const file = configFilePath(argv, env);
  if (file) {
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`invalid configuration file ${file}: ${(err as Error).message.split("\n")[0]}`);
    }
    fromToml(doc, raw, origin, file);
  }
  fromEnv(env, raw, origin);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.join(".");
    const from = origin.get(key);
    throw new ConfigError(`invalid configuration: ${key}: ${issue.message}${from ? ` (from ${from})` : ""}`);
  }
  const c = parsed.data;
  const dataFolder = path.resolve(c.DataFolder);
  const resolved = {
    dataFolder,
    musicFolder: path.resolve(/* turbopackIgnore: true */ c.MusicFolder || "./music"),
    cacheFolder: c.CacheFolder ? path.resolve(c.CacheFolder) : path.join(dataFolder, "cache"),
    pluginsFolder: c.Plugins.Folder ? path.resolve(c.Plugins.Folder) : path.join(dataFolder, "plugins"),
    databaseFile: path.join(dataFolder, "tessitura.db"),
    configFile: file ? path.resolve(file) : null,
  };
  return { ...c, resolved };
}
