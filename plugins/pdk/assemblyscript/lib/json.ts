// JSON for the plugin wire format (contract §2.12): a small parser that keeps integers exact
// (int64 timestamps and sizes) and matches keys like Go's encoding/json (exact first, then
// case-insensitively), and a writer that builds compact JSON text.
//
// Strings are AssemblyScript (UTF-16) strings; they become UTF-8 only when they cross into
// Extism memory (see io.ts), so non-ASCII text survives both ways.
import { decodeBase64, encodeBase64 } from "./base64";

export enum JSONKind {
  Null = 0,
  Bool = 1,
  Number = 2,
  String = 3,
  Array = 4,
  Object = 5,
}

/** A parsed JSON value. Accessors never fail: a missing or mistyped value gives the zero value. */
export class JSONValue {
  kind: JSONKind = JSONKind.Null;
  /** The string value, or a number's source text (so int64 values stay exact). */
  text: string = "";
  boolean: bool = false;
  items: JSONValue[] = [];
  keys: string[] = [];
  values: JSONValue[] = [];

  static object(): JSONValue {
    const v = new JSONValue();
    v.kind = JSONKind.Object;
    return v;
  }

  get isNull(): bool {
    return this.kind == JSONKind.Null;
  }
  get isObject(): bool {
    return this.kind == JSONKind.Object;
  }
  get isArray(): bool {
    return this.kind == JSONKind.Array;
  }
  get isString(): bool {
    return this.kind == JSONKind.String;
  }
  get isNumber(): bool {
    return this.kind == JSONKind.Number;
  }
  get isBool(): bool {
    return this.kind == JSONKind.Bool;
  }

  /** A member of an object: exact key first, then case-insensitively (Go's rule); the last duplicate wins. */
  get(key: string): JSONValue | null {
    if (this.kind != JSONKind.Object) return null;
    for (let i = this.keys.length - 1; i >= 0; i--) if (this.keys[i] == key) return this.values[i];
    const lower = key.toLowerCase();
    for (let i = this.keys.length - 1; i >= 0; i--) if (this.keys[i].toLowerCase() == lower) return this.values[i];
    return null;
  }

  has(key: string): bool {
    const v = this.get(key);
    return v !== null && !v.isNull;
  }

  asString(): string {
    return this.kind == JSONKind.String ? this.text : "";
  }

  asBool(): bool {
    return this.kind == JSONKind.Bool ? this.boolean : false;
  }

  asF64(): f64 {
    return this.kind == JSONKind.Number ? parseFloat(this.text) : 0;
  }

  /** Integers are read from their digits, so values beyond 2^53 stay exact; fractions are truncated. */
  asI64(): i64 {
    if (this.kind != JSONKind.Number) return 0;
    if (isIntegerText(this.text)) return I64.parseInt(this.text, 10);
    return <i64>parseFloat(this.text);
  }

  asI32(): i32 {
    return <i32>this.asI64();
  }

  asArray(): JSONValue[] {
    return this.kind == JSONKind.Array ? this.items : [];
  }

  /** A base64 string (Go's `[]byte`) decoded; empty for anything else. */
  asBytes(): Uint8Array {
    return this.kind == JSONKind.String ? decodeBase64(this.text) : new Uint8Array(0);
  }

  getString(key: string, fallback: string = ""): string {
    const v = this.get(key);
    return v !== null && v.kind == JSONKind.String ? v.text : fallback;
  }

  getBool(key: string, fallback: bool = false): bool {
    const v = this.get(key);
    return v !== null && v.kind == JSONKind.Bool ? v.boolean : fallback;
  }

  getI64(key: string, fallback: i64 = 0): i64 {
    const v = this.get(key);
    return v !== null && v.kind == JSONKind.Number ? v.asI64() : fallback;
  }

  getI32(key: string, fallback: i32 = 0): i32 {
    return <i32>this.getI64(key, fallback);
  }

  getF64(key: string, fallback: f64 = 0): f64 {
    const v = this.get(key);
    return v !== null && v.kind == JSONKind.Number ? v.asF64() : fallback;
  }

  getBytes(key: string): Uint8Array {
    const v = this.get(key);
    return v === null ? new Uint8Array(0) : v.asBytes();
  }

  getArray(key: string): JSONValue[] {
    const v = this.get(key);
    return v === null ? [] : v.asArray();
  }

  /** An object member, or an empty object when it is missing or not an object. */
  getObject(key: string): JSONValue {
    const v = this.get(key);
    return v !== null && v.kind == JSONKind.Object ? v : JSONValue.object();
  }

  getStrings(key: string): string[] {
    const items = this.getArray(key);
    const out = new Array<string>(0);
    for (let i = 0; i < items.length; i++) out.push(items[i].asString());
    return out;
  }

  /** An object of strings (e.g. HTTP headers) as a map. */
  getStringMap(key: string): Map<string, string> {
    const o = this.getObject(key);
    const out = new Map<string, string>();
    for (let i = 0; i < o.keys.length; i++) out.set(o.keys[i], o.values[i].asString());
    return out;
  }

  /** Compact JSON text of this value. */
  toString(): string {
    const w = new JSONWriter();
    w.value(this);
    return w.toString();
  }
}

function isIntegerText(s: string): bool {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x2e || c == 0x65 || c == 0x45) return false;
  }
  return true;
}

class Parser {
  i: i32 = 0;
  failed: bool = false;
  constructor(public s: string) {}

  ws(): void {
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d) this.i++;
      else break;
    }
  }

  fail(): JSONValue {
    this.failed = true;
    return new JSONValue();
  }

  peek(): i32 {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1;
  }

  literal(word: string): bool {
    if (this.s.substr(this.i, word.length) != word) return false;
    this.i += word.length;
    return true;
  }

  value(depth: i32): JSONValue {
    if (depth > 512) return this.fail();
    this.ws();
    const c = this.peek();
    const v = new JSONValue();
    if (c == 0x7b) return this.object(v, depth);
    if (c == 0x5b) return this.array(v, depth);
    if (c == 0x22) {
      v.kind = JSONKind.String;
      v.text = this.string();
      return v;
    }
    if (this.literal("true")) {
      v.kind = JSONKind.Bool;
      v.boolean = true;
      return v;
    }
    if (this.literal("false")) {
      v.kind = JSONKind.Bool;
      return v;
    }
    if (this.literal("null")) return v;
    return this.number(v);
  }

  object(v: JSONValue, depth: i32): JSONValue {
    v.kind = JSONKind.Object;
    this.i++;
    this.ws();
    if (this.peek() == 0x7d) {
      this.i++;
      return v;
    }
    while (!this.failed) {
      this.ws();
      if (this.peek() != 0x22) return this.fail();
      const key = this.string();
      this.ws();
      if (this.peek() != 0x3a) return this.fail();
      this.i++;
      v.keys.push(key);
      v.values.push(this.value(depth + 1));
      this.ws();
      const d = this.peek();
      this.i++;
      if (d == 0x7d) break;
      if (d != 0x2c) return this.fail();
    }
    return v;
  }

  array(v: JSONValue, depth: i32): JSONValue {
    v.kind = JSONKind.Array;
    this.i++;
    this.ws();
    if (this.peek() == 0x5d) {
      this.i++;
      return v;
    }
    while (!this.failed) {
      v.items.push(this.value(depth + 1));
      this.ws();
      const d = this.peek();
      this.i++;
      if (d == 0x5d) break;
      if (d != 0x2c) return this.fail();
    }
    return v;
  }

  number(v: JSONValue): JSONValue {
    const start = this.i;
    if (this.peek() == 0x2d) this.i++;
    let digits = 0;
    while (true) {
      const d = this.peek();
      if ((d >= 0x30 && d <= 0x39) || d == 0x2e || d == 0x65 || d == 0x45 || ((d == 0x2b || d == 0x2d) && digits > 0)) {
        this.i++;
        digits++;
      } else break;
    }
    if (digits == 0) return this.fail();
    v.kind = JSONKind.Number;
    v.text = this.s.substring(start, this.i);
    return v;
  }

  hex4(): i32 {
    if (this.i + 4 > this.s.length) {
      this.failed = true;
      return 0;
    }
    let r = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.s.charCodeAt(this.i++);
      r <<= 4;
      if (c >= 0x30 && c <= 0x39) r |= c - 0x30;
      else if (c >= 0x61 && c <= 0x66) r |= c - 0x61 + 10;
      else if (c >= 0x41 && c <= 0x46) r |= c - 0x41 + 10;
      else this.failed = true;
    }
    return r;
  }

  string(): string {
    this.i++;
    const parts = new Array<string>(0);
    let run = this.i;
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c == 0x22) {
        parts.push(this.s.substring(run, this.i));
        this.i++;
        return parts.join("");
      }
      if (c != 0x5c) {
        this.i++;
        continue;
      }
      parts.push(this.s.substring(run, this.i));
      this.i++;
      const e = this.peek();
      this.i++;
      if (e == 0x6e) parts.push("\n");
      else if (e == 0x74) parts.push("\t");
      else if (e == 0x72) parts.push("\r");
      else if (e == 0x62) parts.push("\b");
      else if (e == 0x66) parts.push("\f");
      else if (e == 0x75) parts.push(String.fromCharCode(this.hex4())); // surrogate pairs compose in UTF-16
      else if (e == 0x22 || e == 0x5c || e == 0x2f) parts.push(String.fromCharCode(e));
      else this.failed = true;
      run = this.i;
    }
    this.failed = true;
    return "";
  }
}

/** Parses JSON text; null when it is not exactly one valid JSON value. */
export function parseJSON(text: string): JSONValue | null {
  const p = new Parser(text);
  const v = p.value(0);
  p.ws();
  if (p.failed || p.i != text.length) return null;
  return v;
}

const HEX = "0123456789abcdef";

/** `s` as a JSON string literal. Non-ASCII characters are kept as they are. */
export function quote(s: string): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c == 0x22 || c == 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) return '"' + s + '"';
  const parts = new Array<string>(0);
  parts.push('"');
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c != 0x22 && c != 0x5c) continue;
    parts.push(s.substring(run, i));
    if (c == 0x22) parts.push('\\"');
    else if (c == 0x5c) parts.push("\\\\");
    else if (c == 0x0a) parts.push("\\n");
    else if (c == 0x0d) parts.push("\\r");
    else if (c == 0x09) parts.push("\\t");
    else parts.push("\\u00" + HEX.charAt(c >> 4) + HEX.charAt(c & 15));
    run = i + 1;
  }
  parts.push(s.substring(run));
  parts.push('"');
  return parts.join("");
}

/** A number as JSON: shortest round-trip text, `null` for NaN and infinities (which JSON cannot hold). */
export function formatFloat(v: f64): string {
  if (!isFinite(v)) return "null";
  if (v == Math.floor(v) && Math.abs(v) < 1e15) return (<i64>v).toString();
  return v.toString();
}

/**
 * Builds compact JSON text. Field helpers named `opt…` leave the field out when the value is
 * the zero value, like Go's `omitempty`:
 *
 *   new JSONWriter().beginObject().string("name", n).optString("mbid", m).endObject().toString()
 */
export class JSONWriter {
  private parts: string[] = [];
  private comma: bool[] = [false];
  private afterKey: bool = false;

  private separate(): void {
    if (this.afterKey) {
      this.afterKey = false;
      return;
    }
    const top = this.comma.length - 1;
    if (this.comma[top]) this.parts.push(",");
    this.comma[top] = true;
  }

  /** Starts a member of the current object; the next value written is its value. */
  key(name: string): JSONWriter {
    this.separate();
    this.parts.push(quote(name));
    this.parts.push(":");
    this.afterKey = true;
    return this;
  }

  beginObject(name: string | null = null): JSONWriter {
    if (name !== null) this.key(name);
    this.separate();
    this.parts.push("{");
    this.comma.push(false);
    return this;
  }

  endObject(): JSONWriter {
    this.comma.pop();
    this.parts.push("}");
    return this;
  }

  beginArray(name: string | null = null): JSONWriter {
    if (name !== null) this.key(name);
    this.separate();
    this.parts.push("[");
    this.comma.push(false);
    return this;
  }

  endArray(): JSONWriter {
    this.comma.pop();
    this.parts.push("]");
    return this;
  }

  // ── bare values (array items, or after key()) ──

  stringValue(v: string): JSONWriter {
    this.separate();
    this.parts.push(quote(v));
    return this;
  }

  intValue(v: i64): JSONWriter {
    this.separate();
    this.parts.push(v.toString());
    return this;
  }

  floatValue(v: f64): JSONWriter {
    this.separate();
    this.parts.push(formatFloat(v));
    return this;
  }

  boolValue(v: bool): JSONWriter {
    this.separate();
    this.parts.push(v ? "true" : "false");
    return this;
  }

  nullValue(): JSONWriter {
    this.separate();
    this.parts.push("null");
    return this;
  }

  /** Already-encoded JSON text, written as is. */
  rawValue(json: string): JSONWriter {
    this.separate();
    this.parts.push(json);
    return this;
  }

  value(v: JSONValue): JSONWriter {
    if (v.kind == JSONKind.Object) {
      this.beginObject();
      for (let i = 0; i < v.keys.length; i++) {
        this.key(v.keys[i]);
        this.value(v.values[i]);
      }
      return this.endObject();
    }
    if (v.kind == JSONKind.Array) {
      this.beginArray();
      for (let i = 0; i < v.items.length; i++) this.value(v.items[i]);
      return this.endArray();
    }
    if (v.kind == JSONKind.String) return this.stringValue(v.text);
    if (v.kind == JSONKind.Number) return this.rawValue(v.text);
    if (v.kind == JSONKind.Bool) return this.boolValue(v.boolean);
    return this.nullValue();
  }

  // ── object members ──

  string(name: string, v: string): JSONWriter {
    return this.key(name).stringValue(v);
  }
  int(name: string, v: i64): JSONWriter {
    return this.key(name).intValue(v);
  }
  float(name: string, v: f64): JSONWriter {
    return this.key(name).floatValue(v);
  }
  bool(name: string, v: bool): JSONWriter {
    return this.key(name).boolValue(v);
  }
  nullField(name: string): JSONWriter {
    return this.key(name).nullValue();
  }
  raw(name: string, json: string): JSONWriter {
    return this.key(name).rawValue(json);
  }
  /** Bytes as Go encodes `[]byte`: padded standard base64. */
  bytes(name: string, v: Uint8Array): JSONWriter {
    return this.key(name).stringValue(encodeBase64(v));
  }
  strings(name: string, v: string[]): JSONWriter {
    this.beginArray(name);
    for (let i = 0; i < v.length; i++) this.stringValue(v[i]);
    return this.endArray();
  }
  stringMap(name: string, v: Map<string, string>): JSONWriter {
    this.beginObject(name);
    const keys = v.keys();
    for (let i = 0; i < keys.length; i++) this.string(keys[i], v.get(keys[i]));
    return this.endObject();
  }

  optString(name: string, v: string): JSONWriter {
    return v.length > 0 ? this.string(name, v) : this;
  }
  optInt(name: string, v: i64): JSONWriter {
    return v != 0 ? this.int(name, v) : this;
  }
  optFloat(name: string, v: f64): JSONWriter {
    return v != 0 ? this.float(name, v) : this;
  }
  optBool(name: string, v: bool): JSONWriter {
    return v ? this.bool(name, v) : this;
  }
  optBytes(name: string, v: Uint8Array): JSONWriter {
    return v.length > 0 ? this.bytes(name, v) : this;
  }
  optStrings(name: string, v: string[]): JSONWriter {
    return v.length > 0 ? this.strings(name, v) : this;
  }

  toString(): string {
    return this.parts.join("");
  }
}

/** Something that writes itself as one JSON value (requests to the host, responses from capabilities). */
export abstract class Encodable {
  abstract encode(w: JSONWriter): void;

  toJSON(): string {
    const w = new JSONWriter();
    this.encode(w);
    return w.toString();
  }
}
