import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { MASK, maskConfig, redactSecrets, unmaskConfig } from "./config-secrets";
import type { Manifest } from "../plugins/manifest/types";

const withConfig = (schema: unknown, uiSchema?: unknown): Manifest => ({ name: "n", author: "a", version: "1", config: { schema, ...(uiSchema ? { uiSchema } : {}) } }) as Manifest;
const masked = (text: string, m: Manifest) => JSON.parse(maskConfig(text, m));
const isMask = (v: unknown) => typeof v === "string" && v.startsWith(`${MASK}#`);
const pw = { type: "string", format: "password" };
const str = { type: "string" };

/** Masks `config` and checks that no secret survives anywhere in the text, and the plain values do. */
function expectMasked(m: Manifest, config: unknown, secrets: unknown[], plain: unknown[]) {
  const out = maskConfig(JSON.stringify(config), m);
  for (const s of secrets) expect(out, `secret ${JSON.stringify(s)} shown`).not.toContain(JSON.stringify(s));
  for (const p of plain) expect(out, `plain ${JSON.stringify(p)} masked`).toContain(JSON.stringify(p));
  return JSON.parse(out);
}

describe("which config values are secret (every way a schema or uiSchema marks one, everywhere it can be)", () => {
  it("top level and nested objects: schema format, writeOnly and uiSchema options.format", () => {
    const m = withConfig(
      { type: "object", properties: { apiKey: str, nested: { type: "object", properties: { token: { type: "string", writeOnly: true }, plain: str } }, pin: pw, n: { type: "integer", format: "password" } } },
      { type: "VerticalLayout", elements: [{ type: "Control", scope: "#/properties/apiKey", options: { format: "password" } }] },
    );
    const out = expectMasked(m, { apiKey: "k-123", pin: "", n: 87654321, nested: { token: "t-secret", plain: "p" }, other: "o" }, ["k-123", "t-secret", 87654321], ["p", "o"]);
    expect(out.pin).toBe(""); // empty secrets stay empty: the form shows "not set"
    expect(isMask(out.apiKey) && isMask(out.n) && isMask(out.nested.token)).toBe(true);
  });

  it("array elements (items as an object schema)", () => {
    const m = withConfig({ type: "object", properties: { accounts: { type: "array", items: { type: "object", properties: { user: str, token: pw } } } } });
    expectMasked(m, { accounts: [{ user: "ana", token: "tok-ana" }, { user: "bo", token: "tok-bo" }] }, ["tok-ana", "tok-bo"], ["ana", "bo"]);
  });

  it("tuples: prefixItems (2020-12) and items + additionalItems (draft-07)", () => {
    const m2020 = withConfig({ type: "object", properties: { pair: { type: "array", prefixItems: [str, pw], items: pw } } });
    expectMasked(m2020, { pair: ["user", "pass-1", "pass-2"] }, ["pass-1", "pass-2"], ["user"]);
    const m07 = withConfig({ $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties: { pair: { type: "array", items: [str, pw], additionalItems: pw } } });
    expectMasked(m07, { pair: ["user", "pass-1", "pass-2"] }, ["pass-1", "pass-2"], ["user"]);
  });

  it("$ref into $defs and definitions, by pointer, $anchor and $id", () => {
    const m = withConfig({
      type: "object",
      $defs: { cred: { type: "object", properties: { token: pw, label: str } }, key: { $anchor: "secretKey", ...pw } },
      definitions: { other: { $id: "other-secret", ...pw } },
      properties: { cred: { $ref: "#/$defs/cred" }, list: { type: "array", items: { $ref: "#/$defs/cred" } }, anchored: { $ref: "#secretKey" }, byId: { $ref: "other-secret" } },
    });
    expectMasked(m, { cred: { token: "tok-1", label: "L1" }, list: [{ token: "tok-2", label: "L2" }], anchored: "anch-3", byId: "id-4" }, ["tok-1", "tok-2", "anch-3", "id-4"], ["L1", "L2"]);
  });

  it("additionalProperties and patternProperties (maps of secrets)", () => {
    const m = withConfig({
      type: "object",
      properties: { servers: { type: "object", additionalProperties: pw }, keys: { type: "object", properties: { note: str }, patternProperties: { "^key_": pw } } },
    });
    expectMasked(m, { servers: { home: "srv-pass", work: "srv-pass-2" }, keys: { note: "n", key_a: "key-a-val" } }, ["srv-pass", "srv-pass-2", "key-a-val"], ["n", "home"]);
  });

  it("every allOf / anyOf / oneOf branch and if/then/else, and dependentSchemas", () => {
    const m = withConfig({
      type: "object",
      properties: {
        auth: { oneOf: [{ type: "object", properties: { apiKey: pw } }, { type: "object", properties: { user: str, pass: pw } }] },
        any: { anyOf: [str, pw] },
        all: { allOf: [{ type: "object", properties: { a: str } }, { properties: { b: { writeOnly: true } } }] },
      },
      if: { properties: { mode: { const: "x" } } },
      then: { properties: { thenSecret: pw } },
      else: { properties: { elseSecret: pw } },
      dependentSchemas: { mode: { properties: { depSecret: pw } } },
    });
    expectMasked(
      m,
      { auth: { user: "ana", pass: "oneof-pass" }, any: "anyof-val", all: { a: "plain-a", b: "allof-b" }, mode: "y", thenSecret: "then-val", elseSecret: "else-val", depSecret: "dep-val" },
      ["oneof-pass", "anyof-val", "allof-b", "then-val", "else-val", "dep-val"],
      ["ana", "plain-a", "y"],
    );
  });

  it("arrays of arrays, and everything inside a secret object or array", () => {
    const m = withConfig({ type: "object", properties: { grid: { type: "array", items: { type: "array", items: { type: "object", properties: { k: pw, v: str } } } }, creds: { type: "object", writeOnly: true } } });
    expectMasked(m, { grid: [[{ k: "g-00", v: "v0" }], [{ k: "g-10", v: "v1" }, { k: "g-11", v: "v2" }]], creds: { a: "c-a", deep: ["c-b", 918273645] } }, ["g-00", "g-10", "g-11", "c-a", "c-b", 918273645], ["v0", "v1", "v2"]);
  });

  it("uiSchema: options.detail of array and object Controls, layouts, groups and categorizations", () => {
    const schema = {
      type: "object",
      properties: {
        accounts: { type: "array", items: { type: "object", properties: { user: str, token: str, nested: { type: "array", items: { type: "object", properties: { pin: str } } } } } },
        conn: { type: "object", properties: { host: str, password: str } },
        tabbed: str,
      },
    };
    const ui = {
      type: "Categorization",
      elements: [
        {
          type: "Category",
          label: "Accounts",
          elements: [
            {
              type: "Control",
              scope: "#/properties/accounts",
              options: {
                detail: {
                  type: "VerticalLayout",
                  elements: [
                    { type: "Control", scope: "#/properties/user" },
                    { type: "Control", scope: "#/properties/token", options: { format: "password" } },
                    { type: "Control", scope: "#/properties/nested", options: { detail: { type: "Group", elements: [{ type: "Control", scope: "#/properties/pin", options: { format: "password" } }] } } },
                  ],
                },
              },
            },
          ],
        },
        {
          type: "Category",
          label: "Other",
          elements: [
            { type: "Group", elements: [{ type: "HorizontalLayout", elements: [{ type: "Control", scope: "#/properties/tabbed", options: { format: "password" } }] }] },
            { type: "Control", scope: "#/properties/conn", options: { detail: { type: "VerticalLayout", elements: [{ type: "Control", scope: "#/properties/password", options: { format: "password" } }] } } },
          ],
        },
      ],
    };
    expectMasked(
      withConfig(schema, ui),
      { accounts: [{ user: "ana", token: "tok-a", nested: [{ pin: "pin-1" }] }, { user: "bo", token: "tok-b" }], conn: { host: "h.example", password: "conn-pass" }, tabbed: "tab-val" },
      ["tok-a", "tok-b", "pin-1", "conn-pass", "tab-val"],
      ["ana", "bo", "h.example"],
    );
  });

  it("uiSchema scopes that step through items, additionalProperties and combinators", () => {
    const schema = {
      type: "object",
      properties: {
        accounts: { type: "array", items: { type: "object", properties: { user: str, token: str } } },
        map: { type: "object", additionalProperties: str },
        auth: { oneOf: [{ type: "object", properties: { key: str } }] },
      },
    };
    const ui = {
      type: "VerticalLayout",
      elements: [
        { type: "Control", scope: "#/properties/accounts/items/properties/token", options: { format: "password" } },
        { type: "Control", scope: "#/properties/map/additionalProperties", options: { format: "password" } },
        { type: "Control", scope: "#/properties/auth/oneOf/0/properties/key", options: { format: "password" } },
      ],
    };
    expectMasked(withConfig(schema, ui), { accounts: [{ user: "ana", token: "tok-a" }], map: { x: "map-x" }, auth: { key: "auth-key" } }, ["tok-a", "map-x", "auth-key"], ["ana"]);
  });

  it("leaves configs without secrets or unparsable text alone", () => {
    const plain: Manifest = { name: "n", author: "a", version: "1" };
    expect(maskConfig('{"a":1}', plain)).toBe('{"a":1}');
    expect(maskConfig("{oops", withConfig({ properties: { a: pw } }))).toBe("{oops");
  });
});

describe("saving masked secrets back", () => {
  const m = withConfig({ type: "object", properties: { apiKey: pw, note: str, accounts: { type: "array", items: { type: "object", properties: { user: str, token: pw } } } } });
  const stored = JSON.stringify({ apiKey: "k-123", accounts: [{ user: "ana", token: "tok-ana" }, { user: "bo", token: "tok-bo" }, { user: "cy", token: "tok-cy" }] });
  const shown = masked(stored, m);
  const save = (next: unknown, from = stored) => JSON.parse(unmaskConfig(JSON.stringify(next), from, m));

  it("keeps every secret sent back masked", () => {
    expect(save(shown)).toEqual(JSON.parse(stored));
  });

  it("an array element keeps its own secret when elements before it are deleted, reordered or added", () => {
    const [ana, bo, cy] = shown.accounts;
    expect(save({ ...shown, accounts: [bo, cy] }).accounts).toEqual([
      { user: "bo", token: "tok-bo" },
      { user: "cy", token: "tok-cy" },
    ]);
    expect(save({ ...shown, accounts: [cy, ana] }).accounts).toEqual([
      { user: "cy", token: "tok-cy" },
      { user: "ana", token: "tok-ana" },
    ]);
    expect(save({ ...shown, accounts: [{ user: "new", token: "tok-new" }, ana] }).accounts).toEqual([
      { user: "new", token: "tok-new" },
      { user: "ana", token: "tok-ana" },
    ]);
  });

  it("a new value replaces the stored one", () => {
    expect(save({ ...shown, apiKey: "k-456" }).apiKey).toBe("k-456");
  });

  it("a bare MASK outside arrays keeps the stored value (or drops the key when none is stored)", () => {
    expect(save({ apiKey: MASK })).toEqual({ apiKey: "k-123" });
    expect(save({ apiKey: MASK }, "")).toEqual({});
  });

  it("refuses masks it cannot map to a stored secret, with the field named, and saves nothing", () => {
    const refused = (next: unknown, from = stored) => {
      try {
        unmaskConfig(JSON.stringify(next), from, m);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        return (err as AppError).fields;
      }
      throw new Error("saved");
    };
    // A bare mask inside an array: which element's secret it stands for is unknown.
    expect(refused({ accounts: [{ user: "bo", token: MASK }] })).toEqual({ "accounts/0/token": expect.stringContaining("ambiguous") });
    // The secret was changed meanwhile (another admin): the old mask no longer matches.
    expect(refused(shown, JSON.stringify({ apiKey: "k-123", accounts: [{ user: "ana", token: "rotated" }] }))).toHaveProperty(["accounts/0/token"]);
    // Typed after the mask instead of replacing it.
    expect(refused({ ...shown, apiKey: `${shown.apiKey}x` })).toHaveProperty(["apiKey"]);
    // A mask moved to another secret field does not carry its secret there.
    expect(refused({ apiKey: shown.accounts[0].token })).toHaveProperty(["apiKey"]);
  });

  it("a mask pasted into a plain field stays the mask: secrets cannot be copied where they are shown", () => {
    expect(save({ ...shown, note: shown.apiKey }).note).toBe(shown.apiKey);
  });

  it("masks do not reveal the secret: the same value in another field masks differently", () => {
    const twice = masked(JSON.stringify({ apiKey: "same", accounts: [{ token: "same" }, { token: "same" }] }), m);
    expect(twice.apiKey).not.toBe(twice.accounts[0].token);
    expect(twice.accounts[0].token).toBe(twice.accounts[1].token);
  });
});

describe("free text about a plugin", () => {
  it("has the stored secrets replaced (a plugin error that echoes its key)", () => {
    const m = withConfig({ type: "object", properties: { accounts: { type: "array", items: { type: "object", properties: { token: pw } } }, x: str } });
    const config = JSON.stringify({ accounts: [{ token: "tok-ana-123" }], x: "plain-x" });
    expect(redactSecrets("init failed: bad token tok-ana-123 (plain-x)", config, m)).toBe(`init failed: bad token ${MASK} (plain-x)`);
  });
});
