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

import { brandErrorClass } from "../errors";

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
// The validation pool is a process-wide singleton, so its errors may come from another bundle's copy of this class.
brandErrorClass(SchemaLimitError, "SchemaLimitError");

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
 * Refuses the regular expressions Navidrome's validator (Go's RE2) cannot compile
 * (backreferences, lookaround) and those that backtrack exponentially: the ones where a
 * repetition's body can match the same text in more than one way, so each extra
 * repetition doubles the ways a failing match is retried (`(a+)+`, `(a|aa)*`, `(\w*)*`,
 * `(\w+\s?)*`). Repetitions whose iterations cannot overlap are accepted, however nested:
 * `^([a-z0-9-]+\.)+[a-z]{2,}$`, `^(\d{1,3}\.){3}\d{1,3}$`, `^([\w-]+,)*[\w-]+$`.
 *
 * What stays possible is polynomial backtracking (`^\d+\d+\d+x$` on a long string): it is
 * bounded by the time budget the server validates configs under (config-validation-pool.ts).
 *
 * How: the pattern is turned into its position automaton (Glushkov), keeping a transition
 * once per way the regex can take it, and the automaton is tested for exponential
 * ambiguity (Allauzen, Mohri & Rastogi 2008): in the product of the automaton with
 * itself, a strongly connected component that holds a pair (q, q) and also a pair of
 * different states, or two different transitions between pairs (q, q), means two
 * different paths that read the same text from q back to q.
 */
export function checkPattern(pattern: string, at = "pattern"): void {
  const refuse = (why: string) => tooComplex(`pattern at ${at} ${why}`);
  if (pattern.length > SCHEMA_LIMITS.maxPatternLength) throw refuse(`is ${pattern.length} characters long, exceeds limit of ${SCHEMA_LIMITS.maxPatternLength}`);
  const ast = new PatternParser(pattern, refuse).parse();
  const automaton = new PositionAutomaton(refuse);
  automaton.build(ast);
  if (automaton.exponentiallyAmbiguous()) {
    throw refuse("can match the same text in more than one way inside a repetition (like (a+)+ or (a|aa)*), which can backtrack exponentially");
  }
}

// ── regex → syntax tree ──────────────────────────────────────────────────────

/** Sorted, disjoint, inclusive code point ranges. */
type CharSet = [number, number][];
type Regex =
  | { t: "chars"; set: CharSet }
  | { t: "empty" } // assertions (^ $ \b \B) match no character; ignoring them only adds paths
  | { t: "cat"; items: Regex[] }
  | { t: "alt"; items: Regex[] }
  | { t: "rep"; body: Regex; min: number; max: number };

const MAX_CP = 0x10ffff;
const ANY: CharSet = [[0, MAX_CP]];
const DIGIT: CharSet = [[48, 57]];
const WORD: CharSet = [[48, 57], [65, 90], [95, 95], [97, 122]];
const SPACE: CharSet = [[9, 13], [32, 32], [160, 160], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]];
const LINE_BREAKS: CharSet = [[10, 10], [13, 13], [0x2028, 0x2029]];

function normalise(ranges: CharSet): CharSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: CharSet = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(set: CharSet): CharSet {
  const out: CharSet = [];
  let next = 0;
  for (const [lo, hi] of normalise(set)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

function intersects(a: CharSet, b: CharSet): boolean {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i][1] < b[j][0]) i++;
    else if (b[j][1] < a[i][0]) j++;
    else return true;
  }
  return false;
}

/**
 * A parser for the JavaScript (`u` flag) syntax ajv compiles patterns with. What it does not
 * model precisely (Unicode properties, case folding) it widens to any character, which can
 * only make the ambiguity test refuse more, never less.
 */
class PatternParser {
  private i = 0;

  constructor(
    private readonly p: string,
    private readonly refuse: (why: string) => SchemaLimitError,
  ) {}

  parse(): Regex {
    const re = this.alternation();
    // A stray ")" is a syntax error ajv reports; the rest is analysed as literal text.
    while (this.i < this.p.length) {
      this.i++;
      this.alternation();
    }
    return re;
  }

  private alternation(): Regex {
    const items = [this.sequence()];
    while (this.p[this.i] === "|") {
      this.i++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0] : { t: "alt", items };
  }

  private sequence(): Regex {
    const items: Regex[] = [];
    while (this.i < this.p.length && this.p[this.i] !== "|" && this.p[this.i] !== ")") {
      let atom = this.atom();
      for (let q = this.quantifier(); q; q = this.quantifier()) atom = { t: "rep", body: atom, ...q };
      items.push(atom);
    }
    return { t: "cat", items };
  }

  private quantifier(): { min: number; max: number } | null {
    const c = this.p[this.i];
    let q: { min: number; max: number } | null = null;
    if (c === "*") q = { min: 0, max: Infinity };
    else if (c === "+") q = { min: 1, max: Infinity };
    else if (c === "?") q = { min: 0, max: 1 };
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
      if (!m) return null;
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]) };
      this.i += m[0].length - 1;
    }
    if (!q) return null;
    this.i++;
    if (this.p[this.i] === "?") this.i++; // lazy: the same paths, tried in another order
    return q;
  }

  private atom(): Regex {
    const p = this.p;
    const c = p[this.i];
    if (c === "(") {
      if (/^\(\?<?[=!]/.test(p.slice(this.i))) throw this.refuse("uses lookaround, which is not supported");
      this.i++;
      if (p.startsWith("?:", this.i)) this.i += 2;
      else if (p.startsWith("?<", this.i)) this.i = Math.max(this.i, p.indexOf(">", this.i) + 1);
      const body = this.alternation();
      if (p[this.i] === ")") this.i++;
      return body;
    }
    if (c === "[") return { t: "chars", set: this.charClass() };
    this.i++;
    if (c === "." ) return { t: "chars", set: complement(LINE_BREAKS) };
    if (c === "^" || c === "$") return { t: "empty" };
    if (c === "\\") {
      const n = p[this.i];
      if (/[1-9]/.test(n) || n === "k") throw this.refuse("uses a backreference, which is not supported");
      if (n === "b" || n === "B") {
        this.i++;
        return { t: "empty" };
      }
      return { t: "chars", set: this.escape() };
    }
    const cp = p.codePointAt(this.i - 1)!;
    if (cp > 0xffff) this.i++;
    return { t: "chars", set: [[cp, cp]] };
  }

  /** After a backslash: the characters the escape stands for. */
  private escape(inClass = false): CharSet {
    const p = this.p;
    const n = p[this.i++] ?? "\\";
    const classes: Record<string, CharSet> = { d: DIGIT, w: WORD, s: SPACE };
    if (classes[n]) return classes[n];
    if (classes[n.toLowerCase()]) return complement(classes[n.toLowerCase()]);
    const single: Record<string, number> = { n: 10, r: 13, t: 9, v: 11, f: 12, 0: 0 };
    if (inClass && n === "b") return [[8, 8]];
    if (n in single) return [[single[n], single[n]]];
    if ((n === "p" || n === "P") && p[this.i] === "{") {
      this.i = p.indexOf("}", this.i) + 1 || p.length;
      return ANY;
    }
    const hex = n === "x" ? /^[0-9a-fA-F]{2}/.exec(p.slice(this.i)) : n === "u" ? /^(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{4})/.exec(p.slice(this.i)) : null;
    if (hex) {
      this.i += hex[0].length;
      const cp = parseInt(hex[0].replace(/[{}]/g, ""), 16);
      return [[cp, cp]];
    }
    if (n === "c" && /[A-Za-z]/.test(p[this.i] ?? "")) {
      const cp = p.charCodeAt(this.i++) % 32;
      return [[cp, cp]];
    }
    const cp = p.codePointAt(this.i - 1)!;
    if (cp > 0xffff) this.i++;
    return [[cp, cp]];
  }

  private charClass(): CharSet {
    const p = this.p;
    this.i++; // [
    const negated = p[this.i] === "^";
    if (negated) this.i++;
    const ranges: CharSet = [];
    const single = (): CharSet => {
      if (p[this.i] === "\\") {
        this.i++;
        return this.escape(true);
      }
      const cp = p.codePointAt(this.i)!;
      this.i += cp > 0xffff ? 2 : 1;
      return [[cp, cp]];
    };
    while (this.i < p.length && p[this.i] !== "]") {
      const from = single();
      if (p[this.i] === "-" && p[this.i + 1] !== "]" && this.i + 1 < p.length) {
        this.i++;
        const to = single();
        if (from.length === 1 && to.length === 1 && from[0][0] === from[0][1] && to[0][0] === to[0][1]) {
          ranges.push([from[0][0], Math.max(from[0][0], to[0][0])]);
          continue;
        }
        ranges.push(...from, [45, 45], ...to);
        continue;
      }
      ranges.push(...from);
    }
    this.i++; // ]
    return negated ? complement(ranges) : normalise(ranges);
  }
}

// ── syntax tree → position automaton → ambiguity ────────────────────────────

/** Counted repetitions up to this are unrolled; larger ones are analysed as `*`/`+`, which has every path they have. */
const MAX_UNROLL = 8;
/** Positions and product steps the analysis may take; beyond, the pattern is refused as too complex to check. */
const MAX_POSITIONS = 1500;
const MAX_PRODUCT_STEPS = 2_000_000;

interface Fragment {
  nullable: boolean;
  first: number[];
  last: number[];
}

class PositionAutomaton {
  /** Characters each position reads; position 0 is the start state. */
  private readonly labels: CharSet[] = [[]];
  /** Transitions out of each position, once per way the regex can take them. */
  private readonly follow: number[][] = [[]];

  constructor(private readonly refuse: (why: string) => SchemaLimitError) {}

  build(re: Regex): void {
    this.follow[0].push(...this.fragment(re).first);
  }

  private fragment(re: Regex): Fragment {
    switch (re.t) {
      case "empty":
        return { nullable: true, first: [], last: [] };
      case "chars": {
        if (this.labels.length > MAX_POSITIONS) throw this.refuse("is too complex to check for exponential backtracking");
        const pos = this.labels.length;
        this.labels.push(re.set);
        this.follow.push([]);
        return { nullable: false, first: [pos], last: [pos] };
      }
      case "alt": {
        const parts = re.items.map((r) => this.fragment(r));
        return { nullable: parts.some((f) => f.nullable), first: parts.flatMap((f) => f.first), last: parts.flatMap((f) => f.last) };
      }
      case "cat":
        return this.sequence(re.items.map((r) => () => this.fragment(r)));
      case "rep":
        return this.repetition(re.body, re.min, re.max);
    }
  }

  private sequence(parts: (() => Fragment)[]): Fragment {
    let acc: Fragment = { nullable: true, first: [], last: [] };
    for (const make of parts) {
      const f = make();
      for (const p of acc.last) this.follow[p].push(...f.first);
      acc = { nullable: acc.nullable && f.nullable, first: acc.nullable ? [...acc.first, ...f.first] : acc.first, last: f.nullable ? [...acc.last, ...f.last] : f.last };
    }
    return acc;
  }

  private repetition(body: Regex, min: number, max: number): Fragment {
    if (max === 0) return { nullable: true, first: [], last: [] };
    const star = (): Fragment => {
      const f = this.fragment(body);
      for (const p of f.last) this.follow[p].push(...f.first);
      return { ...f, nullable: true };
    };
    const optional = (): Fragment => ({ ...this.fragment(body), nullable: true });
    if (max === 1) return min === 0 ? optional() : this.fragment(body);
    if (min > MAX_UNROLL || (max !== Infinity && max > MAX_UNROLL)) {
      // X{m,n} → X+ (or X*): one loop standing for all the copies.
      return min === 0 ? star() : { ...star(), nullable: false };
    }
    // X{m,n} → X…X (m copies) then X(X(X)?)? nested, so a count is read one way only; X{m,} → X…X X*.
    const parts: (() => Fragment)[] = Array.from({ length: min }, () => () => this.fragment(body));
    if (max === Infinity) parts.push(star);
    else if (max > min) parts.push(() => this.repetition({ t: "cat", items: [body, { t: "rep", body, min: 0, max: max - min - 1 }] }, 0, 1));
    return this.sequence(parts);
  }

  /** Whether two different paths read the same text from some state back to itself (see checkPattern). */
  exponentiallyAmbiguous(): boolean {
    const n = this.labels.length;
    const overlap = new Uint8Array(n * n); // 0 unknown, 1 yes, 2 no
    const readsSame = (a: number, b: number) => {
      const k = a * n + b;
      if (!overlap[k]) overlap[k] = overlap[b * n + a] = intersects(this.labels[a], this.labels[b]) ? 1 : 2;
      return overlap[k] === 1;
    };
    // Product states reachable from (start, start), with their transitions; `twin` marks a
    // transition from (q, q) to (r, r) taken by two different transitions of the automaton.
    const index = new Map<number, number>();
    const pairs: [number, number][] = [];
    const edges: { to: number; twin: boolean }[][] = [];
    const visit = (p: number, q: number) => {
      const key = p * n + q;
      let id = index.get(key);
      if (id === undefined) {
        index.set(key, (id = pairs.length));
        pairs.push([p, q]);
        edges.push([]);
      }
      return id;
    };
    visit(0, 0);
    let steps = 0;
    for (let id = 0; id < pairs.length; id++) {
      const [p, q] = pairs[id];
      const fp = this.follow[p];
      const fq = this.follow[q];
      for (let a = 0; a < fp.length; a++) {
        for (let b = 0; b < fq.length; b++) {
          if (++steps > MAX_PRODUCT_STEPS) throw this.refuse("is too complex to check for exponential backtracking");
          if (!readsSame(fp[a], fq[b])) continue;
          edges[id].push({ to: visit(fp[a], fq[b]), twin: p === q && a !== b && fp[a] === fq[b] });
        }
      }
    }
    const component = stronglyConnectedComponents(edges);
    const diagonal = new Set<number>();
    const offDiagonal = new Set<number>();
    pairs.forEach(([p, q], id) => (p === q ? diagonal : offDiagonal).add(component[id]));
    for (const c of diagonal) if (offDiagonal.has(c)) return true;
    return edges.some((out, id) => out.some((e) => e.twin && component[e.to] === component[id]));
  }
}

/** Tarjan's algorithm without recursion (the product graph may be deep): component id per node. */
function stronglyConnectedComponents(edges: { to: number }[][]): number[] {
  const n = edges.length;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const component = new Array<number>(n).fill(-1);
  const stack: number[] = [];
  const onStack = new Uint8Array(n);
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    const work: [node: number, edge: number][] = [[root, 0]];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const frame = work[work.length - 1];
      const [v, e] = frame;
      if (e < edges[v].length) {
        frame[1]++;
        const w = edges[v][e].to;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v], order[w]);
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === order[v]) {
        for (let w = -1; w !== v; ) {
          w = stack.pop()!;
          onStack[w] = 0;
          component[w] = components;
        }
        components++;
      }
    }
  }
  return component;
}
