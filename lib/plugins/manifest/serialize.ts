import { goMarshal } from "../go-json";
import type { ConfigDefinition, Manifest, PermissionKey, Permissions } from "./types";

/**
 * The manifest as Navidrome stores it (contract §1.9): `json.Marshal` of the decoded Go
 * struct, not the package's bytes. Fields come in struct order (alphabetical), pointer
 * fields are omitted only when absent (so `"reason": ""` and an empty permission `{}`
 * stay), `requiredHosts: []`, `filesystem: false` and an empty `uiSchema` are omitted,
 * `maxConcurrency` is always written, and the schema maps are written with sorted keys
 * like any Go map. Strings get Go's HTML escaping.
 */
export function serializeManifest(m: Manifest): string {
  return struct([
    ["author", goMarshal(m.author ?? "")],
    ["config", m.config && config(m.config)],
    ["description", optional(m.description)],
    ["name", goMarshal(m.name ?? "")],
    ["permissions", m.permissions && permissions(m.permissions)],
    ["version", goMarshal(m.version ?? "")],
    ["website", optional(m.website)],
  ]);
}

const PERMISSION_ORDER: PermissionKey[] = [
  "artwork",
  "cache",
  "endpoints",
  "http",
  "kvstore",
  "library",
  "matcher",
  "scheduler",
  "scrobbleRetriever",
  "storage",
  "subsonicapi",
  "taskqueue",
  "users",
  "websocket",
];

function permissions(p: Permissions): string {
  return struct(PERMISSION_ORDER.map((key) => [key, p[key] ? permission(key, p) : undefined]));
}

function permission(key: PermissionKey, p: Permissions): string {
  switch (key) {
    case "http":
    case "websocket": {
      const v = p[key]!;
      return struct([
        ["reason", optional(v.reason)],
        ["requiredHosts", v.requiredHosts?.length ? goMarshal(v.requiredHosts) : undefined],
      ]);
    }
    case "endpoints":
      return struct([
        ["auth", goMarshal(p.endpoints!.auth ?? "")],
        ["paths", p.endpoints!.paths?.length ? goMarshal(p.endpoints!.paths) : undefined],
        ["reason", optional(p.endpoints!.reason)],
      ]);
    case "kvstore":
      return struct([
        ["maxSize", optional(p.kvstore!.maxSize)],
        ["reason", optional(p.kvstore!.reason)],
      ]);
    case "library":
      return struct([
        ["filesystem", p.library!.filesystem ? "true" : undefined],
        ["reason", optional(p.library!.reason)],
      ]);
    case "taskqueue":
      return struct([
        ["maxConcurrency", String(p.taskqueue!.maxConcurrency ?? 1)],
        ["reason", optional(p.taskqueue!.reason)],
      ]);
    default:
      return struct([["reason", optional(p[key]!.reason)]]);
  }
}

function config(c: ConfigDefinition): string {
  const ui = c.uiSchema;
  return struct([
    ["schema", marshalAny(c.schema ?? null)],
    ["uiSchema", ui && Object.keys(ui).length ? marshalAny(ui) : undefined],
  ]);
}

function optional(s: string | undefined): string | undefined {
  return s === undefined || s === null ? undefined : goMarshal(s);
}

/** A Go struct: `[jsonName, encodedValue]` in field order; undefined values are omitted. */
function struct(fields: [string, string | undefined][]): string {
  return `{${fields
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${goMarshal(k)}:${v}`)
    .join(",")}}`;
}

/** An `interface{}` value: maps with keys in byte order, numbers as float64 (`-0` kept). */
function marshalAny(v: unknown): string {
  if (typeof v === "number" && Object.is(v, -0)) return "-0";
  if (Array.isArray(v)) return `[${v.map(marshalAny).join(",")}]`;
  if (v && typeof v === "object") {
    const keys = Object.keys(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${keys.map((k) => `${goMarshal(k)}:${marshalAny((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return goMarshal(v);
}
