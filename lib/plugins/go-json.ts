/**
 * Go `encoding/json` compatibility. Plugins are written against Navidrome, whose every
 * payload is produced and consumed by Go's encoder and decoder (contract §2.12):
 *
 * - encoding: `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c`…; map keys sorted;
 *   byte arrays as padded standard base64; `omitempty` drops zero values;
 * - decoding: object keys bind to fields case-insensitively, the last matching key wins,
 *   `null` leaves the zero value, numbers must fit the target type (no fractions for
 *   integers), unknown keys are ignored.
 *
 * Decoding works on an ordered parse (`parseOrderedJson`) because JavaScript objects
 * lose the document order of keys that differ only in case, which decides the winner.
 */

// ── encoding ─────────────────────────────────────────────────────────────────

const ESCAPES: Record<string, string> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029" };

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c]);
}

/** Standard base64 with `=` padding, as Go encodes `[]byte`. */
export function goBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * Marshals like Go: objects keep their key order (struct field order) unless
 * `sortKeys` (Go maps); `undefined` members are dropped; Uint8Array becomes base64.
 */
export function goMarshal(value: unknown, opts: { sortKeys?: boolean } = {}): string {
  // Fast path (every capability call marshals its request): the native encoder gives the
  // same text whenever no key sorting, bigint or non-finite number is involved.
  if (!opts.sortKeys) {
    try {
      const s = JSON.stringify(value === undefined ? null : value, fastReplacer);
      return HTML_CHARS.test(s) ? s.replace(HTML_CHARS_G, (c) => ESCAPES[c]) : s;
    } catch (err) {
      if (err !== SLOW_PATH) throw err;
    }
  }
  return marshalSlow(value, opts);
}

const HTML_CHARS = /[<>&\u2028\u2029]/;
const HTML_CHARS_G = /[<>&\u2028\u2029]/g;
const SLOW_PATH = new Error("slow path");

function fastReplacer(this: Record<string, unknown>, key: string, v: unknown): unknown {
  const original = this[key]; // before toJSON (Buffer has one)
  if (original instanceof Uint8Array) return goBase64(original);
  if (typeof v === "bigint" || (typeof v === "number" && !Number.isFinite(v))) throw SLOW_PATH;
  return v;
}

function marshalSlow(value: unknown, opts: { sortKeys?: boolean }): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`json: unsupported value: ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Uint8Array) return goString(goBase64(value));
  if (Array.isArray(value)) return `[${value.map((v) => marshalSlow(v === undefined ? null : v, opts)).join(",")}]`;
  if (typeof value === "object") {
    let entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (opts.sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${goString(k)}:${marshalSlow(v, opts)}`).join(",")}}`;
  }
  throw new Error(`json: unsupported type: ${typeof value}`);
}

/** Go's zero values, which `omitempty` leaves out. */
export function isGoZero(v: unknown): boolean {
  if (v === undefined || v === null || v === "" || v === 0 || v === false || v === 0n) return true;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (typeof v === "object") return Object.keys(v as object).length === 0;
  return false;
}

/** Drops `omitempty` fields holding zero values, keeping the others in order. */
export function omitEmpty<T extends Record<string, unknown>>(obj: T, keep: (keyof T)[] = []): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (keep.includes(k) || !isGoZero(v)) out[k] = v;
  return out as Partial<T>;
}

// ── ordered parsing ──────────────────────────────────────────────────────────

export type JsonNode =
  | { kind: "null" }
  | { kind: "bool"; value: boolean }
  | { kind: "number"; raw: string }
  | { kind: "string"; value: string }
  | { kind: "array"; items: JsonNode[] }
  | { kind: "object"; pairs: [string, JsonNode][] };

export class JsonSyntaxError extends Error {}

/** Parses JSON keeping key order and duplicate keys; errors read like Go's decoder. */
export function parseOrderedJson(text: string): JsonNode {
  let i = 0;
  const fail = (what: string): never => {
    if (i >= text.length) throw new JsonSyntaxError("unexpected end of JSON input");
    throw new JsonSyntaxError(`invalid character ${JSON.stringify(text[i])} ${what}`);
  };
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const value = (): JsonNode => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const pairs: [string, JsonNode][] = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { kind: "object", pairs };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("looking for beginning of object key string");
        const key = str();
        ws();
        if (text[i] !== ":") fail("after object key");
        i++;
        pairs.push([key, value()]);
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return { kind: "object", pairs };
        } else fail("after object key:value pair");
      }
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { kind: "array", items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return { kind: "array", items };
        } else fail("after array element");
      }
    }
    if (c === '"') return { kind: "string", value: str() };
    if (text.startsWith("true", i)) return (i += 4), { kind: "bool", value: true };
    if (text.startsWith("false", i)) return (i += 5), { kind: "bool", value: false };
    if (text.startsWith("null", i)) return (i += 4), { kind: "null" };
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0].length) {
      i += m[0].length;
      return { kind: "number", raw: m[0] };
    }
    return fail("looking for beginning of value");
  };
  const str = (): string => {
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) fail("in string literal");
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) i += 2;
      else if (c < 0x20) fail("in string literal");
      else i++;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i));
    } catch {
      i = start;
      return fail("in string escape code");
    }
  };
  const root = value();
  ws();
  if (i < text.length) fail("after top-level value");
  return root;
}

/** Plain JavaScript value of a node (duplicate keys: last wins). */
export function nodeToValue(n: JsonNode): unknown {
  switch (n.kind) {
    case "null":
      return null;
    case "bool":
      return n.value;
    case "number":
      return Number(n.raw);
    case "string":
      return n.value;
    case "array":
      return n.items.map(nodeToValue);
    case "object": {
      const o: Record<string, unknown> = {};
      for (const [k, v] of n.pairs) {
        if (k === "__proto__") Object.defineProperty(o, k, { value: nodeToValue(v), enumerable: true, configurable: true, writable: true });
        else o[k] = nodeToValue(v);
      }
      return o;
    }
  }
}

// ── Go-style field binding ───────────────────────────────────────────────────

/** The node bound to a struct field: the last key equal to `name` ignoring case. */
export function goField(obj: JsonNode, name: string): JsonNode | undefined {
  if (obj.kind !== "object") return undefined;
  const lower = name.toLowerCase();
  let found: JsonNode | undefined;
  for (const [k, v] of obj.pairs) if (k.toLowerCase() === lower) found = v;
  return found;
}

/** Exact-key presence, as Go code that first decodes into `map[string]interface{}` tests it. */
export function hasExactKey(obj: JsonNode, name: string): boolean {
  return obj.kind === "object" && obj.pairs.some(([k]) => k === name);
}

const KIND_NAMES: Record<JsonNode["kind"], string> = { null: "null", bool: "bool", number: "number", string: "string", array: "array", object: "object" };

/** A decode error worded like Go's `UnmarshalTypeError`, with our JSON path. */
export class GoTypeError extends Error {
  constructor(
    readonly node: JsonNode,
    readonly field: string,
    readonly goType: string,
    readonly path: string,
  ) {
    const raw = node.kind === "number" ? ` ${node.raw}` : "";
    super(`json: cannot unmarshal ${KIND_NAMES[node.kind]}${raw} into Go struct field ${field} of type ${goType}`);
  }
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  int: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** Decodes helpers: each returns undefined for missing/`null` (the zero value is the caller's). */
export const decode = {
  string(n: JsonNode | undefined, field: string, path: string): string | undefined {
    if (!n || n.kind === "null") return undefined;
    if (n.kind !== "string") throw new GoTypeError(n, field, "string", path);
    return n.value;
  },
  bool(n: JsonNode | undefined, field: string, path: string): boolean | undefined {
    if (!n || n.kind === "null") return undefined;
    if (n.kind !== "bool") throw new GoTypeError(n, field, "bool", path);
    return n.value;
  },
  int(n: JsonNode | undefined, field: string, path: string, goType: "int" | "int32" | "int64" = "int"): number | undefined {
    if (!n || n.kind === "null") return undefined;
    if (n.kind !== "number" || !/^-?\d+$/.test(n.raw)) throw new GoTypeError(n, field, goType, path);
    const big = BigInt(n.raw);
    const [lo, hi] = INT_RANGES[goType];
    if (big < lo || big > hi) throw new GoTypeError(n, field, goType, path);
    return Number(big);
  },
  float(n: JsonNode | undefined, field: string, path: string): number | undefined {
    if (!n || n.kind === "null") return undefined;
    if (n.kind !== "number") throw new GoTypeError(n, field, "float64", path);
    return Number(n.raw);
  },
  stringArray(n: JsonNode | undefined, field: string, path: string): string[] | undefined {
    if (!n || n.kind === "null") return undefined;
    if (n.kind !== "array") throw new GoTypeError(n, field, "[]string", path);
    return n.items.map((item, idx) => decode.string(item, field, `${path}/${idx}`) ?? "");
  },
  /** Standard base64 (padded) or `null`, as Go decodes `[]byte`. */
  bytes(n: JsonNode | undefined, field: string, path: string): Uint8Array | undefined {
    if (!n || n.kind === "null") return undefined;
    if (n.kind !== "string") throw new GoTypeError(n, field, "[]uint8", path);
    if (!/^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(n.value)) throw new Error(`illegal base64 data at input byte 0`);
    return new Uint8Array(Buffer.from(n.value, "base64"));
  },
  stringMap(n: JsonNode | undefined, field: string, path: string): Record<string, string> | undefined {
    if (!n || n.kind === "null") return undefined;
    if (n.kind !== "object") throw new GoTypeError(n, field, "map[string]string", path);
    const out: Record<string, string> = {};
    for (const [k, v] of n.pairs) out[k] = decode.string(v, field, `${path}/${k}`) ?? "";
    return out;
  },
};

/** Parses a host-function request: an object (or `null`/empty ⇒ empty object). */
export function parseRequest(bytes: Uint8Array): JsonNode {
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") return { kind: "object", pairs: [] };
  const node = parseOrderedJson(text);
  if (node.kind === "null") return { kind: "object", pairs: [] };
  if (node.kind !== "object") throw new GoTypeError(node, "request", "struct", "");
  return node;
}
