import { parseOrderedJson, type JsonNode } from "../plugins/go-json";

/**
 * A decoder with the strictness of the Rust PDK's generated host clients (serde):
 * a field without `#[serde(default)]` must be present and not `null`; a defaulted field
 * may be absent but, unless it is an `Option`, must not be `null` (so a Go `null` slice
 * or map breaks it); keys are matched exactly (camelCase); integers must be integers in
 * range; `Vec<u8>` fields marked `base64_bytes` must be padded standard base64 strings;
 * a repeated key is an error, as serde reports `duplicate field`.
 */
export type RustType =
  | "String"
  | "bool"
  | "i32"
  | "i64"
  | "f64"
  | "bytes"
  | { vec: RustType }
  | { map: RustType }
  | { option: RustType }
  | { struct: RustStruct };

export type RustStruct = Record<string, { type: RustType; default?: boolean }>;

const BASE64 = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function fail(path: string, what: string): never {
  throw new Error(`${path || "$"}: ${what}`);
}

function decodeValue(n: JsonNode, t: RustType, path: string): unknown {
  if (typeof t === "object" && "option" in t) return n.kind === "null" ? null : decodeValue(n, t.option, path);
  if (n.kind === "null") fail(path, `invalid type: null, expected ${JSON.stringify(t)}`);
  switch (t) {
    case "String":
      if (n.kind !== "string") fail(path, "expected a string");
      return n.value;
    case "bytes":
      if (n.kind !== "string" || !BASE64.test(n.value)) fail(path, "expected a padded standard base64 string");
      return Buffer.from(n.value, "base64");
    case "bool":
      if (n.kind !== "bool") fail(path, "expected a boolean");
      return n.value;
    case "i32":
    case "i64": {
      if (n.kind !== "number" || !/^-?\d+$/.test(n.raw)) fail(path, `expected ${t}`);
      const v = BigInt(n.raw);
      const bits = t === "i32" ? 31n : 63n;
      if (v < -(2n ** bits) || v >= 2n ** bits) fail(path, `${t} out of range`);
      return v;
    }
    case "f64":
      if (n.kind !== "number") fail(path, "expected f64");
      return Number(n.raw);
  }
  if ("vec" in t) {
    if (n.kind !== "array") fail(path, "expected a sequence");
    return n.items.map((item, i) => decodeValue(item, t.vec, `${path}[${i}]`));
  }
  if ("map" in t) {
    if (n.kind !== "object") fail(path, "expected a map");
    return Object.fromEntries(n.pairs.map(([k, v]) => [k, decodeValue(v, t.map, `${path}.${k}`)]));
  }
  return decodeStruct(n, t.struct, path);
}

function decodeStruct(n: JsonNode, fields: RustStruct, path: string): Record<string, unknown> {
  if (n.kind !== "object") fail(path, "expected a struct");
  const out: Record<string, unknown> = {};
  for (const [k, v] of n.pairs) {
    if (!Object.hasOwn(fields, k)) continue; // serde ignores unknown fields by default
    if (Object.hasOwn(out, k)) fail(path, `duplicate field \`${k}\``);
    out[k] = decodeValue(v, fields[k].type, `${path}.${k}`);
  }
  for (const [k, f] of Object.entries(fields)) if (!Object.hasOwn(out, k) && !f.default) fail(path, `missing field \`${k}\``);
  return out;
}

/** Decodes a host response text as the Rust PDK would, or throws naming the offending field. */
export function decodeRust(text: string, fields: RustStruct): Record<string, unknown> {
  return decodeStruct(parseOrderedJson(text), fields, "");
}

const d = (type: RustType) => ({ type, default: true });
const error = d({ option: "String" });
const user: RustStruct = { userName: { type: "String" }, name: { type: "String" }, isAdmin: { type: "bool" } };
const httpResponse: RustStruct = { statusCode: { type: "i32" }, headers: d({ map: "String" }), body: d("bytes") };

/**
 * Response structs of the Rust PDK (`nd-pdk-host`) for the services here, by host function.
 * One deliberate difference: `kvstore_getmany` values are decoded as base64 strings,
 * which is what Navidrome sends; the generated Rust struct declares `HashMap<String,
 * Vec<u8>>` without `base64_bytes` and so cannot read Navidrome's answer either.
 */
export const RUST_RESPONSES: Record<string, RustStruct> = {
  cache_setstring: { error },
  cache_setint: { error },
  cache_setfloat: { error },
  cache_setbytes: { error },
  cache_remove: { error },
  cache_getstring: { value: d("String"), exists: d("bool"), error },
  cache_getint: { value: d("i64"), exists: d("bool"), error },
  cache_getfloat: { value: d("f64"), exists: d("bool"), error },
  cache_getbytes: { value: d("bytes"), exists: d("bool"), error },
  cache_has: { exists: d("bool"), error },
  kvstore_set: { error },
  kvstore_setwithttl: { error },
  kvstore_delete: { error },
  kvstore_get: { value: d("bytes"), exists: d("bool"), error },
  kvstore_getmany: { values: d({ map: "bytes" }), error },
  kvstore_has: { exists: d("bool"), error },
  kvstore_list: { keys: d({ vec: "String" }), error },
  kvstore_deletebyprefix: { deletedCount: d("i64"), error },
  kvstore_getstorageused: { bytes: d("i64"), error },
  users_getusers: { result: d({ vec: { struct: user } }), error },
  users_getadmins: { result: d({ vec: { struct: user } }), error },
  http_send: { result: d({ option: { struct: httpResponse } }), error },
  storage_getstoragepath: { result: d("String") },
};
