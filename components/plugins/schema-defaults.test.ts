import { describe, expect, it } from "vitest";
import { withSchemaDefaults } from "./schema-defaults";

const schema = {
  type: "object",
  properties: {
    greeting: { type: "string", default: "Hello" },
    advanced: { type: "object", properties: { retries: { type: "integer", default: 3 }, mode: { type: "string" } } },
    empty: { type: "object", properties: { x: { type: "string" } } },
  },
};

describe("schema defaults for the config form", () => {
  it("fills top-level and nested defaults, creating only objects that get a default", () => {
    expect(withSchemaDefaults(schema, {})).toEqual({ greeting: "Hello", advanced: { retries: 3 } });
  });
  it("keeps what the admin saved", () => {
    expect(withSchemaDefaults(schema, { greeting: "Hi", advanced: { retries: 0, mode: "x" } })).toEqual({ greeting: "Hi", advanced: { retries: 0, mode: "x" } });
    expect(withSchemaDefaults(schema, { advanced: { mode: "y" } })).toEqual({ greeting: "Hello", advanced: { retries: 3, mode: "y" } });
  });
  it("returns the same object when nothing needs filling", () => {
    const full = { greeting: "Hi", advanced: { retries: 1 } };
    expect(withSchemaDefaults(schema, full)).toBe(full);
  });
  it("leaves non-object data alone", () => {
    expect(withSchemaDefaults(schema, "text")).toBe("text");
  });
});
