import { describe, expect, it } from "vitest";
import { MASK, maskConfig, secretPaths, unmaskConfig } from "./config-secrets";
import type { Manifest } from "./manifest/types";

const manifest: Manifest = {
  name: "n",
  author: "a",
  version: "1",
  config: {
    schema: { type: "object", properties: { apiKey: { type: "string" }, nested: { type: "object", properties: { token: { type: "string", writeOnly: true }, plain: { type: "string" } } }, pin: { type: "string", format: "password" } } },
    uiSchema: { type: "VerticalLayout", elements: [{ type: "Control", scope: "#/properties/apiKey", options: { format: "password" } }, { type: "Control", scope: "#/properties/nested" }] },
  },
};

describe("plugin config secrets", () => {
  it("finds password fields from the uiSchema and the schema", () => {
    expect(secretPaths(manifest).map((p) => p.join("."))).toEqual(["nested.token", "pin", "apiKey"]);
  });

  it("masks non-empty secrets and nothing else", () => {
    const masked = JSON.parse(maskConfig(JSON.stringify({ apiKey: "k-123", pin: "", nested: { token: "t", plain: "p" }, other: "o" }), manifest));
    expect(masked).toEqual({ apiKey: MASK, pin: "", nested: { token: MASK, plain: "p" }, other: "o" });
  });

  it("keeps stored secrets sent back masked, takes new ones, and drops masks with nothing stored", () => {
    const stored = JSON.stringify({ apiKey: "k-123", nested: { token: "t" } });
    const saved = JSON.parse(unmaskConfig(JSON.stringify({ apiKey: MASK, nested: { token: "new" }, pin: MASK }), stored, manifest));
    expect(saved).toEqual({ apiKey: "k-123", nested: { token: "new" } });
  });

  it("leaves configs without secrets or unparsable text alone", () => {
    const plain: Manifest = { name: "n", author: "a", version: "1" };
    expect(maskConfig('{"a":1}', plain)).toBe('{"a":1}');
    expect(maskConfig("{oops", manifest)).toBe("{oops");
  });
});
