/**
 * Which values of a plugin's config are secrets, found the way the config editor finds
 * its controls: by walking the config data alongside the manifest's JSON Schema and
 * uiSchema. Pure and isomorphic (no Node APIs), so the admin form uses the same rules.
 *
 * A value is secret when any schema that may apply to it (following `$ref`, every
 * `allOf`/`anyOf`/`oneOf` branch, `if`/`then`/`else`, `dependentSchemas`) says
 * `format: "password"` or `writeOnly: true`, or when a uiSchema Control renders it as a
 * password (`options.format: "password"`, what the JSONForms Material text renderer and
 * Navidrome's outlined renderer check). Everything inside a secret object or array is
 * secret too. The walk over-approximates on purpose: a branch that does not validate
 * still marks its fields, because showing a secret costs more than masking a plain value.
 */

export type DataPath = (string | number)[];

export interface SecretField {
  /** Where the value is in the config data. */
  path: DataPath;
  /**
   * Where it is in the schema's terms: object keys named by `properties` kept, array
   * indexes and free keys (`additionalProperties`, `patternProperties`) as `*`. The same
   * for an array element wherever it moves, which is what a masked value is tied to.
   */
  field: string[];
  value: unknown;
}

type Schema = Record<string, unknown>;
const isObj = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isPasswordWord = (v: unknown) => typeof v === "string" && v.toLowerCase() === "password";

/** A schema that marks its value secret by itself. */
export function isSecretSchema(s: unknown): boolean {
  return isObj(s) && (isPasswordWord(s.format) || s.writeOnly === true);
}

/** A uiSchema Control that renders its value as a password. */
export function isPasswordControl(ui: unknown): boolean {
  if (!isObj(ui)) return false;
  return isPasswordWord((ui.options as Schema | undefined)?.format) || isPasswordWord(ui.format);
}

/** Beyond this depth a value counts as secret as a whole (no config legitimately nests this deep). */
const MAX_DEPTH = 64;

const decodePointer = (s: string) => {
  const plain = s.replace(/~1/g, "/").replace(/~0/g, "~");
  try {
    return decodeURIComponent(plain);
  } catch {
    return plain;
  }
};

/** `$ref` targets: JSON pointers from the root, `$anchor`s and `$id`s anywhere in the document. */
class RefIndex {
  private readonly named = new Map<string, Schema>();
  constructor(private readonly root: Schema) {
    this.index(root, 0);
  }

  private index(s: unknown, depth: number): void {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(s)) return s.forEach((x) => this.index(x, depth + 1));
    if (!isObj(s)) return;
    if (typeof s.$anchor === "string") this.named.set(`#${s.$anchor}`, s);
    if (typeof s.$dynamicAnchor === "string") this.named.set(`#${s.$dynamicAnchor}`, s);
    if (typeof s.$id === "string") {
      this.named.set(s.$id, s);
      const tail = s.$id.split("/").pop();
      if (tail) this.named.set(tail, s);
    }
    for (const v of Object.values(s)) this.index(v, depth + 1);
  }

  resolve(ref: string): unknown {
    if (this.named.has(ref)) return this.named.get(ref);
    const hash = ref.indexOf("#");
    const base = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? "" : ref.slice(hash + 1);
    // Refs into another document are resolved against ours: ajv would only accept them
    // when they name this document (its `$id`), and a wrong guess only masks more.
    let target: unknown = base && this.named.has(base) ? this.named.get(base) : this.root;
    if (fragment && !fragment.startsWith("/")) return this.named.get(`#${fragment}`);
    for (const part of fragment.split("/").slice(1)) {
      const key = decodePointer(part);
      target = Array.isArray(target) ? target[Number(key)] : isObj(target) ? target[key] : undefined;
    }
    return target;
  }
}

/** Every schema that may apply where `schema` applies. */
function expand(schema: unknown, refs: RefIndex, out: Set<Schema>): void {
  if (!isObj(schema) || out.has(schema)) return;
  out.add(schema);
  for (const k of ["$ref", "$dynamicRef", "$recursiveRef"]) if (typeof schema[k] === "string") expand(refs.resolve(schema[k] as string), refs, out);
  for (const k of ["allOf", "anyOf", "oneOf"]) for (const sub of list(schema[k])) expand(sub, refs, out);
  for (const k of ["if", "then", "else"]) expand(schema[k], refs, out);
  for (const k of ["dependentSchemas", "dependencies"]) if (isObj(schema[k])) for (const sub of Object.values(schema[k])) expand(sub, refs, out);
}

function matchesPattern(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, "u").test(key);
  } catch {
    return true; // a pattern we cannot read might match: mask rather than show
  }
}

/** The schemas for the value under `key`, and whether a `properties` entry names it. */
function forKey(schemas: Set<Schema>, key: string): { subs: unknown[]; named: boolean } {
  const subs: unknown[] = [];
  let named = false;
  for (const s of schemas) {
    let matched = false;
    if (isObj(s.properties) && Object.hasOwn(s.properties, key)) {
      subs.push(s.properties[key]);
      matched = named = true;
    }
    if (isObj(s.patternProperties))
      for (const [p, sub] of Object.entries(s.patternProperties))
        if (matchesPattern(p, key)) {
          subs.push(sub);
          matched = true;
        }
    if (!matched) subs.push(s.additionalProperties, s.unevaluatedProperties);
  }
  return { subs, named };
}

/** The schemas for the array element at `index` (tuple forms of every draft included). */
function forIndex(schemas: Set<Schema>, index: number): unknown[] {
  const subs: unknown[] = [];
  for (const s of schemas) {
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
    if (index < prefix.length) subs.push(prefix[index]);
    else subs.push(Array.isArray(s.items) ? s.additionalItems : s.items, s.unevaluatedItems);
    subs.push(s.contains);
  }
  return subs;
}

// ---- uiSchema: password Controls as data-path patterns ------------------------------

/** One segment of a data-path pattern: any key or index, or one of a few spellings of a key. */
type PatternSegment = "*" | string[];
type Pattern = PatternSegment[];

/**
 * A Control's `scope` as a data-path pattern. JSONForms keeps every second segment
 * (`#/properties/a/properties/b` → `a.b`, combinator and `then`/`else` steps dropped);
 * scopes that step through `items` or `additionalProperties` name every element.
 */
function scopePattern(scope: string): Pattern {
  const parts = scope.replace(/^#/, "").split("/").filter((p, i) => i > 0 || p !== "");
  const out: Pattern = [];
  const name = (raw: string): string[] => [...new Set([raw.replace(/~1/g, "/").replace(/~0/g, "~"), decodePointer(raw)])];
  for (let i = 0; i < parts.length; ) {
    const kw = parts[i];
    if (["allOf", "anyOf", "oneOf", "dependentSchemas", "$defs", "definitions"].includes(kw)) i += 2;
    else if (["if", "then", "else", "not"].includes(kw)) i += 1;
    else if (["additionalProperties", "unevaluatedProperties", "additionalItems", "unevaluatedItems", "contains"].includes(kw)) (out.push("*"), (i += 1));
    else if (kw === "patternProperties") (out.push("*"), (i += 2));
    else if (kw === "items" || kw === "prefixItems") {
      if (parts[i + 1] !== undefined && /^\d+$/.test(parts[i + 1])) (out.push([parts[i + 1]]), (i += 2));
      else (out.push("*"), (i += 1));
    } else if (parts[i + 1] !== undefined) (out.push(name(parts[i + 1])), (i += 2));
    else i += 1;
  }
  return out;
}

/**
 * Password Controls anywhere in the uiSchema: in layouts, groups, categorizations, and
 * in `options.detail` layouts of object and array Controls, whose scopes are relative to
 * the element (`accounts` + `#/properties/token` → `accounts.*.token`). Whether a detail
 * belongs to an array or an object is not checked: both readings are kept.
 */
function passwordPatterns(ui: unknown, prefixes: Pattern[], out: Pattern[], depth = 0): void {
  if (!isObj(ui) || depth > 16) return;
  const scoped = typeof ui.scope === "string" ? prefixes.map((p) => [...p, ...scopePattern(ui.scope as string)]) : prefixes;
  if (ui.type === "Control" && typeof ui.scope === "string" && isPasswordControl(ui)) out.push(...scoped);
  for (const child of list(ui.elements)) passwordPatterns(child, prefixes, out, depth + 1);
  const detail = (ui.options as Schema | undefined)?.detail;
  if (typeof ui.scope === "string" && isObj(detail)) passwordPatterns(detail, scoped.flatMap((p) => [p, [...p, "*" as const]]), out, depth + 1);
}

function matches(patterns: Pattern[], path: DataPath): boolean {
  return patterns.some((p) => p.length === path.length && p.every((seg, i) => seg === "*" || seg.includes(String(path[i]))));
}

// ---- the walk ------------------------------------------------------------------------

const maskable = (v: unknown) => (typeof v === "string" && v !== "") || typeof v === "number";

interface Walk {
  refs: RefIndex;
  patterns: Pattern[];
  out: SecretField[];
}

function walk(ctx: Walk, data: unknown, schemas: unknown[], path: DataPath, field: string[], inherited: boolean): void {
  if (path.length > MAX_DEPTH) {
    // Too deep to walk: the whole value counts as one secret.
    if (data !== null && data !== "") ctx.out.push({ path, field, value: data });
    return;
  }
  const applicable = new Set<Schema>();
  for (const s of schemas) expand(s, ctx.refs, applicable);
  const secret = inherited || [...applicable].some(isSecretSchema) || (path.length > 0 && matches(ctx.patterns, path));
  if (Array.isArray(data)) data.forEach((v, i) => walk(ctx, v, forIndex(applicable, i), [...path, i], [...field, "*"], secret));
  else if (isObj(data))
    for (const [k, v] of Object.entries(data)) {
      const { subs, named } = forKey(applicable, k);
      walk(ctx, v, subs, [...path, k], [...field, named ? k : "*"], secret);
    }
  else if (secret && maskable(data)) ctx.out.push({ path, field, value: data });
}

/** The manifest's `config` block, as much of it as the walk needs. */
export interface ConfigForms {
  schema?: unknown;
  uiSchema?: unknown;
}

/** Every secret value in `data` (non-empty strings and numbers), in document order. */
export function findSecretFields(data: unknown, forms: ConfigForms | undefined): SecretField[] {
  const schema = isObj(forms?.schema) ? forms.schema : {};
  const patterns: Pattern[] = [];
  passwordPatterns(forms?.uiSchema, [[]], patterns);
  const ctx: Walk = { refs: new RefIndex(schema), patterns, out: [] };
  walk(ctx, data, [schema], [], [], false);
  return ctx.out;
}

/** Whether the manifest can mark anything secret at all (a cheap check before parsing a config). */
export function declaresSecrets(forms: ConfigForms | undefined): boolean {
  const text = JSON.stringify([forms?.schema ?? null, forms?.uiSchema ?? null]).toLowerCase();
  return text.includes('"password"') || text.includes('"writeonly"');
}
