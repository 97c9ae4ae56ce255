import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validatePluginConfig } from "./config-schema";
import { checkConfigValueLimits, checkPattern, checkSchemaLimits, checkUiSchemaLimits, SCHEMA_LIMITS, SchemaLimitError } from "./schema-limits";

/** The schema bomb of the finding: each `$defs` level is `anyOf` of two `$ref`s to the next. */
export function schemaBomb(depth: number): Record<string, unknown> {
  const $defs: Record<string, unknown> = {};
  for (let i = 0; i < depth; i++) $defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i + 1}` }, { $ref: `#/$defs/d${i + 1}` }] };
  $defs[`d${depth}`] = { type: "string" };
  return { $defs, $ref: "#/$defs/d0" };
}

const refused = (schema: unknown) => {
  try {
    checkSchemaLimits(schema);
  } catch (err) {
    expect(err).toBeInstanceOf(SchemaLimitError);
    return (err as Error).message;
  }
  return null;
};

const repo = path.join(import.meta.dirname, "../..");
const manifests = ["plugins/examples", "plugins/testdata"].flatMap((dir) =>
  readdirSync(path.join(repo, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(dir, d.name, "manifest.json"))
    .filter((f) => {
      try {
        return !!JSON.parse(readFileSync(path.join(repo, f), "utf8")).config;
      } catch {
        return false;
      }
    }),
);

describe("checkSchemaLimits", () => {
  it.each(manifests)("accepts the config schema of %s", (file) => {
    const { config } = JSON.parse(readFileSync(path.join(repo, file), "utf8"));
    expect(refused(config.schema)).toBeNull();
    expect(() => checkUiSchemaLimits(config.uiSchema)).not.toThrow();
  });

  it("found real manifests with config schemas to check", () => expect(manifests.length).toBeGreaterThanOrEqual(5));

  it.each([9, 20, 24, 60, 500])("refuses the anyOf/$ref bomb of depth %i, naming the limit, in well under a second", (depth) => {
    const t = performance.now();
    expect(refused(schemaBomb(depth))).toMatch(new RegExp(`^config schema too complex: validation fan-out .* exceeds limit of ${SCHEMA_LIMITS.maxFanOut}`));
    expect(performance.now() - t).toBeLessThan(500);
  });

  it("accepts a shallow bomb whose fan-out is within the limit", () => expect(refused(schemaBomb(6))).toBeNull());

  it.each(["oneOf", "allOf"])("refuses the same fan-out through %s", (kw) => {
    const s = JSON.parse(JSON.stringify(schemaBomb(30)).replaceAll("anyOf", kw));
    expect(refused(s)).toMatch(/fan-out/);
  });

  it("refuses fan-out through child schemas too (properties at each level)", () => {
    const $defs: Record<string, unknown> = {};
    for (let i = 0; i < 30; i++) $defs[`d${i}`] = { properties: { a: { $ref: `#/$defs/d${i + 1}` } }, anyOf: [{ $ref: `#/$defs/d${i + 1}` }, true] };
    $defs.d30 = {};
    expect(refused({ $defs, $ref: "#/$defs/d0" })).toMatch(/fan-out/);
  });

  it("refuses fan-out through anchors, $id resources and draft-07 definitions", () => {
    const anchors: Record<string, unknown> = {};
    for (let i = 0; i < 30; i++) anchors[`d${i}`] = { $anchor: `a${i}`, anyOf: [{ $ref: `#a${i + 1}` }, { $ref: `#a${i + 1}` }] };
    anchors.d30 = { $anchor: "a30" };
    expect(refused({ $defs: anchors, $ref: "#a0" })).toMatch(/fan-out/);
    const ids: Record<string, unknown> = {};
    for (let i = 0; i < 30; i++) ids[`d${i}`] = { $id: `n${i}.json`, anyOf: [{ $ref: `n${i + 1}.json` }, { $ref: `n${i + 1}.json` }] };
    ids.d30 = { $id: "n30.json" };
    expect(refused({ $defs: ids, $ref: "n0.json" })).toMatch(/fan-out/);
    const d7 = JSON.parse(JSON.stringify(schemaBomb(30)).replaceAll("$defs", "definitions"));
    expect(refused({ $schema: "http://json-schema.org/draft-07/schema#", ...d7 })).toMatch(/fan-out/);
  });

  it("refuses recursion that does not descend into the instance, accepts recursion that does", () => {
    expect(refused({ $ref: "#" })).toMatch(/recursive \$ref at \/ does not descend/);
    expect(refused({ $defs: { a: { allOf: [{ $ref: "#/$defs/b" }] }, b: { anyOf: [{ $ref: "#/$defs/a" }] } }, $ref: "#/$defs/a" })).toMatch(/infinite recursion/);
    const tree = { $defs: { node: { type: "object", properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/node" } } } } }, $ref: "#/$defs/node" };
    expect(refused(tree)).toBeNull();
  });

  it("refuses recursion whose cost multiplies with each level of the instance", () => {
    const s = { $defs: { n: { anyOf: [{ properties: { a: { $ref: "#/$defs/n" } } }, { properties: { a: { $ref: "#/$defs/n" } } }] } }, $ref: "#/$defs/n" };
    expect(refused(s)).toMatch(/fan-out/);
  });

  it("refuses remote and dangling references", () => {
    expect(refused({ $ref: "https://example.com/s.json" })).toMatch(/does not resolve inside the schema/);
    expect(refused({ $ref: "#/$defs/missing" })).toMatch(/does not resolve/);
  });

  it("refuses huge, deep and wide schemas", () => {
    expect(refused({ description: "x".repeat(SCHEMA_LIMITS.maxBytes) })).toMatch(/size \d+ bytes exceeds limit of 131072/);
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 10_000; i++) deep = { properties: { a: deep } };
    expect(refused(deep)).toMatch(/nesting depth exceeds limit of 64/);
    const wide = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`p${i}`, {}]));
    expect(refused({ properties: wide })).toMatch(/number of subschemas exceeds limit of 2000/);
  });

  it("refuses a huge enum", () => {
    expect(refused({ enum: Array.from({ length: 5000 }, (_, i) => i) })).toMatch(/enum at \/ has 5000 values, exceeds limit of 1000/);
  });

  it("refuses unsafe patterns wherever they are, and keeps the common ones", () => {
    expect(refused({ properties: { e: { type: "string", pattern: "^(a+)+$" } } })).toMatch(/pattern at \/properties\/e\/pattern can match the same text in more than one way inside a repetition/);
    expect(refused({ patternProperties: { "^(a|aa)*$": {} } })).toMatch(/more than one way/);
    expect(refused({ propertyNames: { pattern: "(\\w+\\s?)*x" } })).toMatch(/more than one way/);
    expect(refused({ pattern: "x".repeat(600) })).toMatch(/exceeds limit of 512/);
  });
});

describe("checkPattern", () => {
  it.each(["^[a-z][a-z-]{1,11}$", "^https?://", "^\\d{4}-\\d{2}-\\d{2}$", "^[A-Za-z0-9_]+$", "^(?:foo|bar)$", "^\\p{L}+$", "\\u{1F600}+", "^[^(]*$", "(ab){2}"])("accepts %s", (p) => {
    expect(() => checkPattern(p)).not.toThrow();
  });
  // Nested or alternated repetitions whose iterations cannot overlap: Navidrome (RE2) accepts them and real plugins use them.
  it.each([
    "^([a-z0-9-]+\\.)+[a-z]{2,}$", // hostname
    "^(\\d{1,3}\\.){3}\\d{1,3}$", // IPv4
    "^([A-Za-z0-9_-]+,)*[A-Za-z0-9_-]+$", // comma list
    "([a-z]+\\.)*",
    "^(\\d{1,3}\\.)+$",
    "^([0-9a-fA-F]{2})+$", // hex bytes
    "^(a|b)+$",
    "^(?<key>[a-z_]+)=(?<value>[^;]*)(;[a-z_]+=[^;]*)*$",
    "^\\d+\\d+\\d+x$", // polynomial only: bounded by the validation worker's time budget
  ])("accepts the unambiguous repetition %s", (p) => {
    expect(() => checkPattern(p)).not.toThrow();
  });
  it.each(["(a+)+", "(a*)*", "(\\w*)*", "(\\w+\\s?)*", "((ab)*)+", "(a|aa)*", "(a|a)*", "((a|aa))*", "(a?b?)*", "(?:x+){2,}", "(x+x+)+y", "^(a{1,20})*$", "^([a-z]+[a-z0-9]*\\.?)+$"])(
    "refuses the exponentially ambiguous %s",
    (p) => expect(() => checkPattern(p)).toThrow(/can match the same text in more than one way inside a repetition/),
  );
  it.each(["(a)\\1", "\\k<n>", "a(?=b)", "(?<!a)b", "(?<=a)b", "a(?!b)"])("refuses %s, which RE2 cannot compile either", (p) => {
    expect(() => checkPattern(p)).toThrow(/backreference|lookaround/);
  });
  it("the refused shapes really backtrack exponentially, the accepted ones do not", () => {
    const time = (p: string, s: string) => {
      const t = performance.now();
      new RegExp(p, "u").test(s);
      return performance.now() - t;
    };
    // 2^24 paths: well over a second (this is why they stay refused)…
    expect(time("^(a|aa)*$", "a".repeat(34) + "!")).toBeGreaterThan(20);
    // …while the accepted nested shapes fail a long near-miss at once.
    expect(time("^([a-z0-9-]+\\.)+[a-z]{2,}$", "a.".repeat(5000) + "!")).toBeLessThan(1000);
    expect(time("^([A-Za-z0-9_-]+,)*[A-Za-z0-9_-]+$", "ab,".repeat(5000) + "!")).toBeLessThan(1000);
  });
});

describe("checkUiSchemaLimits", () => {
  it("checks the schemas of rule conditions, which the browser compiles", () => {
    const ui = { type: "VerticalLayout", elements: [{ type: "Control", scope: "#/properties/a", rule: { effect: "HIDE", condition: { scope: "#/properties/b", schema: schemaBomb(30) } } }] };
    expect(() => checkUiSchemaLimits(ui)).toThrow(/fan-out/);
    const redos = { type: "Control", scope: "#", rule: { effect: "HIDE", condition: { scope: "#", schema: { pattern: "(x+x+)+y" } } } };
    expect(() => checkUiSchemaLimits(redos)).toThrow(/more than one way/);
  });
});

describe("checkConfigValueLimits and validatePluginConfig", () => {
  it("refuses a huge or deep config before validating it", () => {
    expect(() => checkConfigValueLimits({ a: "x".repeat(1_100_000) })).toThrow(/^config too large: size \d+ bytes exceeds limit of 1048576$/);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => checkConfigValueLimits(deep)).toThrow(/nesting depth exceeds limit of 64/);
  });

  it("validatePluginConfig refuses the bomb quickly instead of compiling it", () => {
    const t = performance.now();
    expect(() => validatePluginConfig(schemaBomb(24), {})).toThrow(/config schema too complex/);
    expect(performance.now() - t).toBeLessThan(500);
  });

  it("validatePluginConfig still validates legit configs", () => {
    const schema = { type: "object", properties: { name: { type: "string", pattern: "^[a-z]+$" } }, required: ["name"] };
    expect(validatePluginConfig(schema, { name: "abc" })).toEqual([]);
    expect(validatePluginConfig(schema, { name: "A" })).toEqual([{ field: "name", message: 'must match pattern "^[a-z]+$"' }]);
  });
});

describe("validation budget", () => {
  it("refuses a config whose size times the schema's fan-out exceeds the budget, and accepts it against a cheap schema", () => {
    const heavyItem = { anyOf: Array.from({ length: 400 }, () => ({ type: "integer" })) };
    const config = Array.from({ length: 10_000 }, () => 1);
    expect(() => validatePluginConfig({ type: "array", items: heavyItem }, config)).toThrow(/^config too large: 10001 values × schema fan-out \d+ exceeds limit of 2000000 schema evaluations$/);
    expect(validatePluginConfig({ type: "array", items: { type: "integer" } }, config)).toEqual([]);
  });

  it("caps arrays under uniqueItems, which ajv compares pairwise", () => {
    const config = Array.from({ length: 3000 }, (_, i) => ({ i }));
    expect(() => validatePluginConfig({ type: "array", uniqueItems: true }, config)).toThrow(/array of 3000 items exceeds limit of 2000 for a schema with uniqueItems/);
    expect(validatePluginConfig({ type: "array" }, config)).toEqual([]);
  });
});
