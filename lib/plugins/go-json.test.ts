import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configMapFromJson } from "./config-map";
import { decode, goField, goMarshal, GoTypeError, omitEmpty, parseOrderedJson, parseRequest } from "./go-json";

const enc = new TextEncoder();

describe("goMarshal (contract §2.12)", () => {
  it("escapes HTML characters and line separators as Go does", () => {
    expect(goMarshal({ s: "<a & b>\u2028\u2029" })).toBe('{"s":"\\u003ca \\u0026 b\\u003e\\u2028\\u2029"}');
  });

  it("encodes byte arrays as padded standard base64, Buffers included", () => {
    expect(goMarshal({ b: new Uint8Array([104, 105]) })).toBe('{"b":"aGk="}');
    expect(goMarshal({ b: Buffer.from([0xfb, 0xff]) })).toBe('{"b":"+/8="}');
    expect(goMarshal([new Uint8Array([1])])).toBe('["AQ=="]');
  });

  it("keeps struct order, sorts map keys on request, drops undefined, prints int64 exactly", () => {
    expect(goMarshal({ b: 1, a: undefined, c: [undefined] })).toBe('{"b":1,"c":[null]}');
    expect(goMarshal({ b: 1, a: 2 }, { sortKeys: true })).toBe('{"a":2,"b":1}');
    expect(goMarshal({ v: 9007199254740993n })).toBe('{"v":9007199254740993}');
    expect(() => goMarshal({ v: NaN })).toThrow("json: unsupported value: NaN");
    expect(goMarshal(undefined)).toBe("null");
  });

  it("gives the same text on the fast path as the general encoder, for any JSON-like value", () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.string({ unit: "binary" }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
      node: fc.oneof({ depthSize: "small" }, tie("leaf"), fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(fc.string().map((k) => `k${k}`), tie("node"), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        // sortKeys forces the general encoder; compare on values whose keys are already sorted
        // (keys are prefixed so that JavaScript does not move integer-like keys first).
        const sorted = JSON.parse(JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x)));
        expect(goMarshal(sorted)).toBe(goMarshal(sorted, { sortKeys: true }));
      }),
      { numRuns: 300 },
    );
  });

  it("omitEmpty drops Go zero values only", () => {
    expect(omitEmpty({ a: "", b: 0, c: false, d: [], e: {}, f: "x", g: 0n, h: 1 })).toEqual({ f: "x", h: 1 });
    expect(omitEmpty({ a: 0, b: "" }, ["a"])).toEqual({ a: 0 });
  });
});

describe("Go-style decoding", () => {
  it("binds keys case-insensitively with the last match winning", () => {
    const n = parseOrderedJson('{"Key":"a","KEY":"b","other":1}');
    expect(decode.string(goField(n, "key"), "key", "/key")).toBe("b");
  });

  it("treats null and missing as zero, and rejects mismatched types with Go's wording", () => {
    const n = parseOrderedJson('{"a":null,"n":2.5,"s":3}');
    expect(decode.string(goField(n, "a"), "a", "/a")).toBeUndefined();
    expect(decode.string(goField(n, "zz"), "zz", "/zz")).toBeUndefined();
    expect(() => decode.int(goField(n, "n"), "X.n", "/n", "int32")).toThrow("json: cannot unmarshal number 2.5 into Go struct field X.n of type int32");
    expect(() => decode.string(goField(n, "s"), "X.s", "/s")).toThrow(GoTypeError);
    expect(() => decode.int(parseOrderedJson("2147483648"), "X.i", "/i", "int32")).toThrow(GoTypeError);
  });

  it("accepts padded base64 or null for bytes and refuses anything else", () => {
    expect(decode.bytes(parseOrderedJson('"aGk="'), "b", "/b")).toEqual(new Uint8Array([104, 105]));
    expect(decode.bytes(parseOrderedJson("null"), "b", "/b")).toBeUndefined();
    expect(() => decode.bytes(parseOrderedJson('"aGk"'), "b", "/b")).toThrow(/illegal base64/);
  });

  it("reads an empty or null request as an empty object and refuses non-objects", () => {
    expect(parseRequest(new Uint8Array())).toEqual({ kind: "object", pairs: [] });
    expect(parseRequest(enc.encode("null"))).toEqual({ kind: "object", pairs: [] });
    expect(() => parseRequest(enc.encode("[1]"))).toThrow(GoTypeError);
  });
});

describe("config map (contract §2.9)", () => {
  it("passes strings verbatim and re-serialises everything else like Go", () => {
    const map = configMapFromJson('{"s":"x","n":3,"f":1.50,"t":true,"z":null,"arr":[{"username":"a","token":"<b>"}],"o":{"b":1,"a":2}}');
    expect(map).toEqual({ s: "x", n: "3", f: "1.5", t: "true", z: "null", arr: '[{"token":"\\u003cb\\u003e","username":"a"}]', o: '{"a":2,"b":1}' });
  });

  it("has no keys for an empty config and refuses a config that is not an object", () => {
    expect(configMapFromJson("")).toEqual({});
    expect(() => configMapFromJson("[1]")).toThrow(/^parsing plugin config: /);
    expect(() => configMapFromJson("{bad")).toThrow(/^parsing plugin config: /);
  });
});
