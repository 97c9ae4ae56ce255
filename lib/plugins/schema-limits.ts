/**
 * Static limits on plugin-supplied JSON Schemas (`config.schema`, and the schemas inside
 * a `uiSchema`'s rule conditions), checked BEFORE ajv sees them. A plugin author controls
 * these documents, and ajv's cost is not bounded by their size: two `$ref`s under an
 * `anyOf` per `$defs` level double the work per level, so a 2 KB schema can block the
 * event loop for seconds or exhaust the heap. The checks are pure and synchronous (no
 * Node APIs) so the same guard can run in the browser before JSONForms compiles a schema.
 *
 * The cost model: validating one instance value against a schema evaluates every schema
 * reachable "in place" (allOf/anyOf/oneOf/not/if/then/else/$ref/dependentSchemas), and
 * each child value (property, item) is evaluated against the child schemas of every one
 * of those. `fan-out` is the largest number of schema evaluations any single instance
 * value can cost, computed by walking the schema graph with memoisation (per schema and
 * instance depth, up to the deepest config we accept). Total validation work is then at
 * most fan-out × number of values in the config, and the config itself is capped.
 */

/** The limits; exported so tests and messages name the same numbers. */
export const SCHEMA_LIMITS = {
  /** Serialised size of one schema document. Real plugin schemas are a few KB. */
  maxBytes: 128 * 1024,
  /** JSON nesting depth of the schema document. */
  maxDepth: 64,
  /** Schema objects in one document (every subschema, reachable or not). */
  maxSubschemas: 2000,
  /** Schema evaluations one instance value may cost (see the cost model above). */
  maxFanOut: 1000,
  /** Values in one `enum`. */
  maxEnum: 1000,
  /** Length of one regular expression (`pattern`, `patternProperties` key). */
  maxPatternLength: 512,
} as const;

/** Limits on a config value validated against a plugin schema (server save, CLI). */
export const CONFIG_LIMITS = {
  /** Serialised size of a saved config. */
  maxBytes: 1024 * 1024,
  /** JSON nesting depth of a saved config (the request-body limit); also how deep the fan-out walk unrolls recursion. */
  maxDepth: 64,
  /** Schema evaluations one validation may cost: values in the config × the schema's fan-out. */
  maxEvaluations: 2_000_000,
  /** Array length when the schema uses `uniqueItems` (ajv compares items pairwise). */
  maxUniqueItems: 2000,
} as const;

/** What validation of a config against an accepted schema can cost. */
export interface SchemaCost {
  /** Largest number of schema evaluations one config value can cost. */
  fanOut: number;
  /** The schema uses `uniqueItems: true` somewhere. */
  uniqueItems: boolean;
}

/** A plugin schema (or config) over one of the limits; the message names the limit. */
export class SchemaLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SchemaLimitError";
  }
}

const tooComplex = (what: string) => new SchemaLimitError(`config schema too complex: ${what}`);

// ── keywords ─────────────────────────────────────────────────────────────────

/** Applied to the same instance value. */
const IN_PLACE_ONE = ["not", "if", "then", "else"];
const IN_PLACE_LIST = ["allOf", "anyOf", "oneOf"];
const IN_PLACE_MAP = ["dependentSchemas", "dependencies"];
const REF_KEYWORDS = ["$ref", "$dynamicRef", "$recursiveRef"];
/** Applied to a child value; for one child at most one of these applies. */
const CHILD_EXCLUSIVE_ONE = ["additionalProperties", "items", "additionalItems"];
const CHILD_EXCLUSIVE_MAP = ["properties"];
const CHILD_EXCLUSIVE_LIST = ["prefixItems", "items"];
/** Applied to a child value in addition to the above. */
const CHILD_ADDITIVE_ONE = ["contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems"];
const CHILD_ADDITIVE_MAP = ["patternProperties"];
/** Hold subschemas that only matter when referenced. */
const DEFINITION_MAPS = ["$defs", "definitions"];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isSchema = (v: unknown): v is Obj | boolean => typeof v === "boolean" || isObj(v);

interface Node {
  schema: Obj | boolean;
  /** JSON Pointer inside the document, for messages. */
  pointer: string;
  /** Base URI for resolving `$ref`s written in this schema. */
  base: string;
  inPlace: Node[];
  refs: { ref: string; pointer: string }[];
  exclusive: Node[];
  additive: Node[];
}

// ── entry points ─────────────────────────────────────────────────────────────

/**
 * Throws `SchemaLimitError` when `schema` is over a limit: size, nesting depth, number
 * of subschemas, fan-out (exponential `$ref` chains, recursion that does not descend
 * into the instance), `enum` size, or an unsafe regular expression.
 */
export function checkSchemaLimits(schema: unknown): SchemaCost {
  if (!isObj(schema)) return { fanOut: 1, uniqueItems: false }; // boolean, or not a schema (ajv reports it)
  const { bytes } = measure(schema, SCHEMA_LIMITS.maxDepth, "schema");
  if (bytes > SCHEMA_LIMITS.maxBytes) throw tooComplex(`size ${bytes} bytes exceeds limit of ${SCHEMA_LIMITS.maxBytes}`);
  const graph = new SchemaGraph(schema);
  return { fanOut: graph.checkFanOut(), uniqueItems: graph.uniqueItems };
}

/**
 * Throws `SchemaLimitError` when a JSONForms `uiSchema` is too big or deep, or carries a
 * rule-condition schema (which the browser compiles with ajv) over the schema limits.
 */
export function checkUiSchemaLimits(uiSchema: unknown): void {
  if (!isObj(uiSchema)) return;
  const { bytes } = measure(uiSchema, SCHEMA_LIMITS.maxDepth, "uiSchema");
  if (bytes > SCHEMA_LIMITS.maxBytes) throw tooComplex(`uiSchema size ${bytes} bytes exceeds limit of ${SCHEMA_LIMITS.maxBytes}`);
  const stack: Json[] = [uiSchema];
  while (stack.length) {
    const v = stack.pop()!;
    if (Array.isArray(v)) stack.push(...v);
    else if (isObj(v)) {
      for (const [k, child] of Object.entries(v)) {
        if (k === "schema" && isObj(child)) checkSchemaLimits(child);
        else stack.push(child);
      }
    }
  }
}

/**
 * Throws `SchemaLimitError` when a config value is too big or too deep to validate, or
 * would cost more than `maxEvaluations` against a schema of the given cost.
 */
export function checkConfigValueLimits(value: unknown, cost: SchemaCost = { fanOut: 1, uniqueItems: false }): void {
  const tooLarge = (what: string) => new SchemaLimitError(`config too large: ${what}`);
  const { bytes, values, longestArray } = measure(value, CONFIG_LIMITS.maxDepth, "config", "config too large");
  if (bytes > CONFIG_LIMITS.maxBytes) throw tooLarge(`size ${bytes} bytes exceeds limit of ${CONFIG_LIMITS.maxBytes}`);
  if (values * cost.fanOut > CONFIG_LIMITS.maxEvaluations) {
    throw tooLarge(`${values} values × schema fan-out ${cost.fanOut} exceeds limit of ${CONFIG_LIMITS.maxEvaluations} schema evaluations`);
  }
  if (cost.uniqueItems && longestArray > CONFIG_LIMITS.maxUniqueItems) {
    throw tooLarge(`array of ${longestArray} items exceeds limit of ${CONFIG_LIMITS.maxUniqueItems} for a schema with uniqueItems`);
  }
}

/** `checkSchemaLimits` + `checkUiSchemaLimits` as one message, or null: for callers that show rather than throw (the admin form). */
export function schemaLimitProblem(schema: unknown, uiSchema?: unknown): string | null {
  try {
    checkSchemaLimits(schema);
    checkUiSchemaLimits(uiSchema);
    return null;
  } catch (err) {
    if (err instanceof SchemaLimitError) return err.message;
    throw err;
  }
}

// ── size and depth (iterative: the document may be deeper than the JS stack) ──

/** Approximate JSON size in bytes, number of values, longest array; throws when deeper than `maxDepth`. */
function measure(root: unknown, maxDepth: number, what: string, prefix = "config schema too complex"): { bytes: number; values: number; longestArray: number } {
  let bytes = 0;
  let values = 0;
  let longestArray = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    values++;
    if (Array.isArray(v)) longestArray = Math.max(longestArray, v.length);
    if (typeof v === "string") bytes += v.length + 2;
    else if (typeof v === "number" || typeof v === "boolean" || v === null) bytes += String(v).length;
    else if (typeof v === "object") {
      if (depth > maxDepth) throw new SchemaLimitError(`${prefix}: ${what} nesting depth exceeds limit of ${maxDepth}`);
      const entries = Array.isArray(v) ? v.map((x) => ["", x] as const) : Object.entries(v as object);
      bytes += 2 + entries.length;
      for (const [k, child] of entries) {
        bytes += Array.isArray(v) ? 0 : k.length + 3;
        stack.push([child, depth + 1]);
      }
    }
  }
  return { bytes, values, longestArray };
}

// ── the schema graph ─────────────────────────────────────────────────────────

const ROOT_BASE = "tessitura:/config-schema.json";

class SchemaGraph {
  private readonly nodes: Node[] = [];
  private readonly byObject = new Map<Obj | boolean, Node>();
  /** Resource URI (no fragment) → node. */
  private readonly resources = new Map<string, Node>();
  /** `resource#anchor` → node. */
  private readonly anchors = new Map<string, Node>();
  private readonly memo = new Map<Node, number[]>();
  private readonly onStack = new Map<Node, Set<number>>();
  private readonly root: Node;
  uniqueItems = false;

  constructor(schema: Obj) {
    this.root = this.collect(schema, "", ROOT_BASE);
    this.resources.set(ROOT_BASE, this.root);
    for (const node of this.nodes) this.link(node);
  }

  /** Creates nodes for every subschema (recursion depth is bounded by `measure`). */
  private collect(schema: Obj | boolean, pointer: string, parentBase: string): Node {
    const existing = this.byObject.get(schema);
    if (existing && typeof schema !== "boolean") return existing;
    if (this.nodes.length >= SCHEMA_LIMITS.maxSubschemas) throw tooComplex(`number of subschemas exceeds limit of ${SCHEMA_LIMITS.maxSubschemas}`);
    let base = parentBase;
    if (isObj(schema) && typeof schema.$id === "string") base = resolveUri(schema.$id, parentBase).split("#")[0];
    const node: Node = { schema, pointer, base, inPlace: [], refs: [], exclusive: [], additive: [] };
    this.nodes.push(node);
    if (typeof schema === "boolean") return node;
    this.byObject.set(schema, node);
    if (base !== parentBase) this.resources.set(base, node);
    for (const key of ["$anchor", "$dynamicAnchor"]) if (typeof schema[key] === "string") this.anchors.set(`${base}#${schema[key]}`, node);
    if (schema.$recursiveAnchor === true) this.anchors.set(`${base}#`, node);
    checkKeywordValues(schema, pointer);
    if (schema.uniqueItems === true) this.uniqueItems = true;

    const sub = (v: Json, at: string, into: Node[]) => {
      if (isSchema(v)) into.push(this.collect(v, at, base));
    };
    const subMap = (v: Json, at: string, into: Node[]) => {
      if (isObj(v)) for (const [k, s] of Object.entries(v)) sub(s, `${at}/${escapePointer(k)}`, into);
    };
    const subList = (v: Json, at: string, into: Node[]) => {
      if (Array.isArray(v)) v.forEach((s, i) => sub(s, `${at}/${i}`, into));
    };
    for (const k of IN_PLACE_ONE) if (k in schema) sub(schema[k], `${pointer}/${k}`, node.inPlace);
    for (const k of IN_PLACE_LIST) if (k in schema) subList(schema[k], `${pointer}/${k}`, node.inPlace);
    for (const k of IN_PLACE_MAP) if (k in schema) subMap(schema[k], `${pointer}/${k}`, node.inPlace);
    for (const k of CHILD_EXCLUSIVE_ONE) if (k in schema && !Array.isArray(schema[k])) sub(schema[k], `${pointer}/${k}`, node.exclusive);
    for (const k of CHILD_EXCLUSIVE_MAP) if (k in schema) subMap(schema[k], `${pointer}/${k}`, node.exclusive);
    for (const k of CHILD_EXCLUSIVE_LIST) if (k in schema) subList(schema[k], `${pointer}/${k}`, node.exclusive);
    for (const k of CHILD_ADDITIVE_ONE) if (k in schema) sub(schema[k], `${pointer}/${k}`, node.additive);
    for (const k of CHILD_ADDITIVE_MAP) if (k in schema) subMap(schema[k], `${pointer}/${k}`, node.additive);
    // Definitions are reached through $ref, but they count as subschemas and are checked too.
    for (const k of DEFINITION_MAPS) if (k in schema) subMap(schema[k], `${pointer}/${k}`, []);
    for (const k of REF_KEYWORDS) if (typeof schema[k] === "string") node.refs.push({ ref: schema[k] as string, pointer: `${pointer}/${k}` });
    return node;
  }

  /** Resolves each `$ref` to a node of this document; anything else is refused. */
  private link(node: Node): void {
    for (const { ref, pointer } of node.refs) {
      const target = this.resolve(ref, node.base);
      if (!target) throw tooComplex(`$ref "${ref}" at ${pointer || "/"} does not resolve inside the schema (only local references are allowed)`);
      node.inPlace.push(target);
    }
  }

  private resolve(ref: string, base: string): Node | undefined {
    const uri = resolveUri(ref, base);
    const hash = uri.indexOf("#");
    const resource = hash < 0 ? uri : uri.slice(0, hash);
    const fragment = hash < 0 ? "" : decodeURIComponent(uri.slice(hash + 1));
    const doc = this.resources.get(resource);
    if (!doc) return undefined;
    if (fragment === "") return doc;
    if (!fragment.startsWith("/")) return this.anchors.get(`${resource}#${fragment}`);
    let v: Json = doc.schema as Json;
    for (const part of fragment.slice(1).split("/")) {
      const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
      if (Array.isArray(v)) v = v[Number(key)];
      else if (isObj(v) && Object.hasOwn(v, key)) v = v[key];
      else return undefined;
      if (v === undefined) return undefined;
    }
    return isObj(v) ? this.byObject.get(v) : typeof v === "boolean" ? { schema: v, pointer: fragment, base, inPlace: [], refs: [], exclusive: [], additive: [] } : undefined;
  }

  /** The schema's fan-out; throws when over the limit. */
  checkFanOut(): number {
    let worst = 0;
    try {
      for (let d = 0; d <= CONFIG_LIMITS.maxDepth; d++) worst = Math.max(worst, this.cost(this.root, d));
    } catch (err) {
      // A very long chain of in-place $refs; ajv would recurse as deeply.
      if (err instanceof RangeError) throw tooComplex("chain of $ref exceeds the nesting limit");
      throw err;
    }
    if (worst > SCHEMA_LIMITS.maxFanOut) throw tooComplex(`validation fan-out ${worst >= CAP ? `over ${SCHEMA_LIMITS.maxFanOut}` : worst} exceeds limit of ${SCHEMA_LIMITS.maxFanOut} (anyOf/oneOf/allOf branches through $ref multiply the work)`);
    return worst;
  }

  /**
   * Schema evaluations one instance value `depth` levels below `node`'s value can cost.
   * Saturates just above the limit so numbers stay small.
   */
  private cost(node: Node, depth: number): number {
    const memo = this.memo.get(node);
    if (memo?.[depth] !== undefined) return memo[depth];
    const active = this.onStack.get(node) ?? new Set<number>();
    if (active.has(depth)) {
      // Back to the same schema without consuming any of the instance: ajv would recurse forever.
      throw tooComplex(`recursive $ref at ${node.pointer || "/"} does not descend into the instance (infinite recursion)`);
    }
    active.add(depth);
    this.onStack.set(node, active);
    let total = 0;
    if (depth === 0) total = 1;
    else {
      let exclusive = 0;
      for (const c of node.exclusive) exclusive = Math.max(exclusive, this.cost(c, depth - 1));
      total = exclusive;
      for (const c of node.additive) total = sat(total + this.cost(c, depth - 1));
    }
    for (const c of node.inPlace) total = sat(total + this.cost(c, depth));
    active.delete(depth);
    const row = memo ?? [];
    row[depth] = total;
    this.memo.set(node, row);
    return total;
  }
}

const CAP = SCHEMA_LIMITS.maxFanOut + 1;
const sat = (n: number) => Math.min(n, CAP);

function resolveUri(ref: string, base: string): string {
  try {
    return new URL(ref, base).href;
  } catch {
    return ref;
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

// ── per-keyword values ───────────────────────────────────────────────────────

function checkKeywordValues(schema: Obj, pointer: string): void {
  if (Array.isArray(schema.enum) && schema.enum.length > SCHEMA_LIMITS.maxEnum) {
    throw tooComplex(`enum at ${pointer || "/"} has ${schema.enum.length} values, exceeds limit of ${SCHEMA_LIMITS.maxEnum}`);
  }
  if (typeof schema.pattern === "string") checkPattern(schema.pattern, `${pointer}/pattern`);
  if (isObj(schema.patternProperties)) for (const p of Object.keys(schema.patternProperties)) checkPattern(p, `${pointer}/patternProperties`);
}

/**
 * Refuses regular expressions that can backtrack catastrophically, and constructs Go's
 * RE2 (which Navidrome validates with) does not accept anyway: nested repetition
 * (`(a+)+`), repeated alternation (`(a|ab)*`), backreferences and lookaround. What
 * remains (repetition of single atoms and of groups without repetition or alternation
 * inside) is what real config schemas use: `^[a-z][a-z-]{1,11}$`, `^https?://`.
 */
export function checkPattern(pattern: string, at = "pattern"): void {
  const refuse = (why: string) => tooComplex(`pattern at ${at} ${why}`);
  if (pattern.length > SCHEMA_LIMITS.maxPatternLength) throw refuse(`is ${pattern.length} characters long, exceeds limit of ${SCHEMA_LIMITS.maxPatternLength}`);
  // One frame per open group: whether it holds repetition or alternation.
  const groups: { repeats: boolean; alternates: boolean }[] = [{ repeats: false, alternates: false }];
  /** What the next quantifier applies to: a closed group's flags, or null for a single atom. */
  let last: { repeats: boolean; alternates: boolean } | null = null;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const n = pattern[i + 1] ?? "";
      if (/[1-9]/.test(n) || n === "k") throw refuse("uses a backreference, which is not supported");
      const close = n === "u" && pattern[i + 2] === "{" ? pattern.indexOf("}", i) : -1;
      i = close > i ? close : i + 1;
      last = null;
    } else if (c === "[") {
      // A character class is one atom; skip to its closing bracket.
      let j = i + 1;
      if (pattern[j] === "^") j++;
      if (pattern[j] === "]") j++;
      while (j < pattern.length && pattern[j] !== "]") j += pattern[j] === "\\" ? 2 : 1;
      i = j;
      last = null;
    } else if (c === "(") {
      if (pattern.startsWith("(?=", i) || pattern.startsWith("(?!", i) || pattern.startsWith("(?<=", i) || pattern.startsWith("(?<!", i)) {
        throw refuse("uses lookaround, which is not supported");
      }
      groups.push({ repeats: false, alternates: false });
      last = null;
    } else if (c === ")") {
      const g = groups.length > 1 ? groups.pop()! : { repeats: false, alternates: false };
      last = g;
      const parent = groups[groups.length - 1];
      parent.repeats ||= g.repeats;
      parent.alternates ||= g.alternates;
    } else if (c === "|") {
      groups[groups.length - 1].alternates = true;
      last = null;
    } else if (c === "*" || c === "+" || c === "?" || (c === "{" && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)))) {
      let repeats = c !== "?";
      if (c === "{") {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i))!;
        repeats = m[2] !== undefined && (m[3] === "" || Number(m[3]) > 1);
        i += m[0].length - 1;
      }
      if (pattern[i + 1] === "?" || pattern[i + 1] === "+") i++; // lazy / possessive marker
      if (repeats && last?.repeats) throw refuse("nests a repetition inside a repetition, which can backtrack exponentially");
      if (repeats && last?.alternates) throw refuse("repeats an alternation, which can backtrack exponentially");
      if (repeats) groups[groups.length - 1].repeats = true;
      last = null;
    } else last = null;
  }
}
