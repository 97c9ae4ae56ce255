import { describe, expect, it } from "vitest";
import { parseManifest } from "./parse";
import { serializeManifest } from "./serialize";

const stored = (text: string) => serializeManifest(parseManifest(text));

describe("serializeManifest", () => {
  it("writes the endpoints permission in Go field order, omitting empty paths", () => {
    expect(stored('{"name":"n","author":"a","version":"1","permissions":{"endpoints":{"reason":"r","paths":[],"auth":"none"}}}')).toBe(
      '{"author":"a","name":"n","permissions":{"endpoints":{"auth":"none","reason":"r"}},"version":"1"}',
    );
  });

  it("writes required fields in struct order and drops unknown keys", () => {
    expect(stored(`{"version":"1.0","capabilities":["x"],"name":"N","author":"A"}`)).toBe(`{"author":"A","name":"N","version":"1.0"}`);
  });

  it("orders every level alphabetically, materialises maxConcurrency and omits filesystem:false", () => {
    const text = `{
      "website": "https://example.com/p?a=1&b=<2>",
      "permissions": {
        "users": {"reason": "see users"},
        "taskqueue": {"reason": "work"},
        "library": {"filesystem": false, "reason": "read"},
        "http": {"requiredHosts": ["api.example.com"], "reason": "fetch"},
        "kvstore": {"reason": "keep", "maxSize": "2MB"},
        "cache": {}
      },
      "name": "Full", "description": "", "author": "Me", "version": "2.0.0",
      "config": {"uiSchema": {"type": "VerticalLayout"}, "schema": {"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "integer", "minimum": -0}}}}
    }`;
    expect(stored(text)).toBe(
      `{"author":"Me",` +
        `"config":{"schema":{"properties":{"a":{"minimum":-0,"type":"integer"},"b":{"type":"string"}},"type":"object"},"uiSchema":{"type":"VerticalLayout"}},` +
        `"description":"","name":"Full",` +
        `"permissions":{"cache":{},"http":{"reason":"fetch","requiredHosts":["api.example.com"]},"kvstore":{"maxSize":"2MB","reason":"keep"},` +
        `"library":{"reason":"read"},"taskqueue":{"maxConcurrency":1,"reason":"work"},"users":{"reason":"see users"}},` +
        `"version":"2.0.0","website":"https://example.com/p?a=1\\u0026b=\\u003c2\\u003e"}`,
    );
  });

  it("keeps filesystem:true and an explicit maxConcurrency, omits empty requiredHosts and uiSchema", () => {
    const text = `{"name":"n","author":"a","version":"1","config":{"schema":{},"uiSchema":{}},
      "permissions":{"library":{"filesystem":true},"taskqueue":{"maxConcurrency":3},"websocket":{"requiredHosts":[]}}}`;
    expect(stored(text)).toBe(
      `{"author":"a","config":{"schema":{}},"name":"n","permissions":{"library":{"filesystem":true},"taskqueue":{"maxConcurrency":3},"websocket":{}},"version":"1"}`,
    );
  });

  it("writes a null schema as null, as Go marshals a nil map", () => {
    expect(stored(`{"name":"n","author":"a","version":"1","config":{"schema":null}}`)).toBe(`{"author":"a","config":{"schema":null},"name":"n","version":"1"}`);
  });

  it("writes the case-insensitively bound fields under their declared names", () => {
    expect(stored(`{"name":"n","author":"a","version":"1","Permissions":{"subsonicAPI":{},"USERS":{}}}`)).toBe(
      `{"author":"a","name":"n","permissions":{"subsonicapi":{},"users":{}},"version":"1"}`,
    );
  });

  it("round-trips: parsing the stored form gives the same stored form", () => {
    const text = `{"name":"n","author":"a","version":"1","permissions":{"taskqueue":{},"http":{"reason":"r"}},"config":{"schema":{"z":[3,{"y":1,"x":2}]}}}`;
    const once = stored(text);
    expect(once).toContain(`"z":[3,{"x":2,"y":1}]`);
    expect(stored(once)).toBe(once);
  });
});
