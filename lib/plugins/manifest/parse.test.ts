import { describe, expect, it } from "vitest";
import { ManifestError } from "../errors";
import { parseManifest } from "./parse";

const BASE = `"name":"Test","author":"Me","version":"1.0.0"`;

/** The ManifestError a document produces (fails the test when it parses). */
function failure(text: string | Uint8Array, opts?: { strict?: boolean }): ManifestError {
  try {
    parseManifest(text, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ManifestError);
    return err as ManifestError;
  }
  throw new Error("expected the manifest to be rejected");
}

function expectFailure(text: string, message: string, path: string): void {
  const err = failure(text);
  expect(err.message).toBe(message);
  expect(err.path).toBe(path);
}

describe("parseManifest", () => {
  describe("rule 1: JSON decoding", () => {
    it("accepts a minimal manifest from bytes or text", () => {
      const m = parseManifest(new TextEncoder().encode(`{${BASE}}`));
      expect(m).toEqual({ author: "Me", name: "Test", version: "1.0.0" });
      expect(parseManifest(`{${BASE}}`)).toEqual(m);
    });

    it("fails on a UTF-8 BOM the way Go does", () => {
      const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(`{${BASE}}`)]);
      const err = failure(bytes);
      expect(err.message).toBe("parsing manifest JSON: invalid character 'ï' looking for beginning of value");
      expect(err.path).toBe("");
    });

    it("reports syntax errors with Go's wording", () => {
      expect(failure(`{${BASE}`).message).toBe("parsing manifest JSON: unexpected end of JSON input");
      expect(failure(`{${BASE}} x`).message).toBe("parsing manifest JSON: invalid character 'x' after top-level value");
      expect(failure(`{${BASE},}`).message).toBe("parsing manifest JSON: invalid character '}' looking for beginning of object key string");
      expect(failure("").message).toBe("parsing manifest JSON: unexpected end of JSON input");
    });

    it("rejects a top-level value that is not an object", () => {
      expectFailure("[]", "parsing manifest JSON: json: cannot unmarshal array into Go value of type map[string]interface {}", "");
      expectFailure('"x"', "parsing manifest JSON: json: cannot unmarshal string into Go value of type map[string]interface {}", "");
    });

    it("treats a top-level null as an empty manifest, failing the first length check", () => {
      expectFailure("null", "parsing manifest JSON: field author length: must be >= 1", "/author");
    });

    it("ignores unknown keys at every level", () => {
      const m = parseManifest(
        `{${BASE},"capabilities":["MetadataAgent"],"experimental":{"threads":{}},
          "permissions":{"http":{"reason":"r","allowedURLs":["x"],"requiredHosts":["a.com"]},"bogus":{}},
          "config":{"schema":{"type":"object"},"extra":1}}`,
      );
      expect(m).toEqual({
        author: "Me",
        config: { schema: { type: "object" } },
        name: "Test",
        permissions: { http: { reason: "r", requiredHosts: ["a.com"] } },
        version: "1.0.0",
      });
    });

    it("binds keys to fields case-insensitively", () => {
      const m = parseManifest(`{${BASE},"Description":"d","permissions":{"subsonicAPI":{},"Users":{},"HTTP":{"RequiredHosts":["h"]}}}`);
      expect(m.description).toBe("d");
      expect(m.permissions).toEqual({ http: { requiredHosts: ["h"] }, subsonicapi: {}, users: {} });
    });

    it("lets the last of duplicate keys win, whatever their case", () => {
      expect(parseManifest(`{${BASE},"version":"2.0","Version":"3.0"}`).version).toBe("3.0");
      expect(parseManifest(`{${BASE},"description":"a","description":"b"}`).description).toBe("b");
    });

    it("keeps a string field when a later duplicate is null, but clears pointer fields", () => {
      expect(parseManifest(`{${BASE},"name":null}`).name).toBe("Test");
      expect(parseManifest(`{${BASE},"description":"a","description":null}`)).not.toHaveProperty("description");
    });

    it("merges a permissions object given twice", () => {
      const m = parseManifest(`{${BASE},"permissions":{"cache":{}},"permissions":{"users":{}}}`);
      expect(m.permissions).toEqual({ cache: {}, users: {} });
    });

    it("treats null optional objects as absent", () => {
      const m = parseManifest(`{${BASE},"permissions":{"http":null,"users":null},"config":null,"website":null}`);
      expect(m).toEqual({ author: "Me", name: "Test", permissions: {}, version: "1.0.0" });
    });

    it("rejects type mismatches with Go's messages and the value's path", () => {
      expectFailure(
        `{"name":"n","author":"a","version":1}`,
        "parsing manifest JSON: json: cannot unmarshal number into Go struct field Manifest.version of type string",
        "/version",
      );
      expectFailure(
        `{${BASE},"permissions":{"http":{"requiredHosts":["a",2]}}}`,
        "parsing manifest JSON: json: cannot unmarshal number into Go struct field HTTPPermission.permissions.http.requiredHosts of type string",
        "/permissions/http/requiredHosts/1",
      );
      expectFailure(
        `{${BASE},"permissions":{"Users":"yes"}}`,
        "parsing manifest JSON: json: cannot unmarshal string into Go struct field Permissions.permissions.users of type plugins.UsersPermission",
        "/permissions/Users",
      );
      expectFailure(
        `{${BASE},"permissions":[]}`,
        "parsing manifest JSON: json: cannot unmarshal array into Go struct field Manifest.permissions of type plugins.Permissions",
        "/permissions",
      );
    });

    it("fails on a type mismatch even when a later duplicate is valid", () => {
      expect(failure(`{${BASE},"website":1,"website":"https://x"}`).path).toBe("/website");
    });
  });

  describe("rule 2: required strings", () => {
    it("checks presence of the exact lower-case keys, author first", () => {
      expectFailure(`{"version":"1"}`, "parsing manifest JSON: field author in Manifest: required", "/author");
      expectFailure(`{"author":"a","version":"1"}`, "parsing manifest JSON: field name in Manifest: required", "/name");
      expectFailure(`{"Name":"n","author":"a","version":"1"}`, "parsing manifest JSON: field name in Manifest: required", "/name");
      expectFailure(`{"name":"n","author":"a"}`, "parsing manifest JSON: field version in Manifest: required", "/version");
    });

    it("checks presence before types", () => {
      expectFailure(`{"name":1,"author":"a"}`, "parsing manifest JSON: field version in Manifest: required", "/version");
    });

    it("rejects empty strings", () => {
      expectFailure(`{"name":"","author":"a","version":"1"}`, "parsing manifest JSON: field name length: must be >= 1", "/name");
    });

    it("lets a null required string pass presence and fail length", () => {
      expectFailure(`{"name":null,"author":"a","version":"1"}`, "parsing manifest JSON: field name length: must be >= 1", "/name");
    });
  });

  describe("rule 3: config", () => {
    it("requires config.schema when config is present", () => {
      expectFailure(`{${BASE},"config":{"uiSchema":{}}}`, "parsing manifest JSON: field schema in ConfigDefinition: required", "/config/schema");
      expectFailure(`{${BASE},"config":{"Schema":{}}}`, "parsing manifest JSON: field schema in ConfigDefinition: required", "/config/schema");
    });

    it("requires schema and uiSchema to be objects", () => {
      expectFailure(
        `{${BASE},"config":{"schema":"x"}}`,
        "parsing manifest JSON: json: cannot unmarshal string into Go struct field Manifest.config.schema of type map[string]interface {}",
        "/config/schema",
      );
      expect(failure(`{${BASE},"config":{"schema":{},"uiSchema":[]}}`).path).toBe("/config/uiSchema");
      expectFailure(
        `{${BASE},"config":"x"}`,
        "parsing manifest JSON: json: cannot unmarshal string into Go struct field Manifest.config of type map[string]interface {}",
        "/config",
      );
    });

    it("reports a config error before an earlier ordinary type error, as Go's decoder does", () => {
      expect(failure(`{${BASE},"website":1,"config":{}}`).message).toBe("parsing manifest JSON: field schema in ConfigDefinition: required");
    });

    it("accepts a null schema without compiling it", () => {
      expect(parseManifest(`{${BASE},"config":{"schema":null}}`).config).toEqual({ schema: null });
    });

    it("merges a schema object given twice inside one config", () => {
      expect(parseManifest(`{${BASE},"config":{"schema":{"a":1},"schema":{"b":2}}}`).config?.schema).toEqual({ a: 1, b: 2 });
    });
  });

  describe("rule 4: defaults", () => {
    it("defaults library.filesystem to false and keeps an explicit true", () => {
      expect(parseManifest(`{${BASE},"permissions":{"library":{}}}`).permissions?.library?.filesystem ?? false).toBe(false);
      expect(parseManifest(`{${BASE},"permissions":{"library":{"filesystem":true}}}`).permissions?.library?.filesystem).toBe(true);
    });

    it('ends "Filesystem": true as false because the default test uses the exact key', () => {
      expect(parseManifest(`{${BASE},"permissions":{"library":{"Filesystem":true}}}`).permissions?.library?.filesystem ?? false).toBe(false);
    });

    it('rejects "filesystem": "true"', () => {
      expectFailure(
        `{${BASE},"permissions":{"library":{"filesystem":"true"}}}`,
        "parsing manifest JSON: json: cannot unmarshal string into Go struct field Permissions.permissions.library.filesystem of type bool",
        "/permissions/library/filesystem",
      );
    });

    it("defaults taskqueue.maxConcurrency to 1 when missing or null", () => {
      expect(parseManifest(`{${BASE},"permissions":{"taskqueue":{}}}`).permissions?.taskqueue).toEqual({ maxConcurrency: 1 });
      expect(parseManifest(`{${BASE},"permissions":{"taskqueue":{"maxConcurrency":null}}}`).permissions?.taskqueue?.maxConcurrency).toBe(1);
      expect(parseManifest(`{${BASE},"permissions":{"taskqueue":{"maxConcurrency":4}}}`).permissions?.taskqueue?.maxConcurrency).toBe(4);
    });

    it('ends "MaxConcurrency": 5 as 1 because the default test uses the exact key', () => {
      expect(parseManifest(`{${BASE},"permissions":{"taskqueue":{"MaxConcurrency":5}}}`).permissions?.taskqueue?.maxConcurrency).toBe(1);
    });

    it("rejects maxConcurrency below 1", () => {
      for (const n of ["0", "-3"]) {
        expectFailure(`{${BASE},"permissions":{"taskqueue":{"maxConcurrency":${n}}}}`, "parsing manifest JSON: field maxConcurrency: must be >= 1", "/permissions/taskqueue/maxConcurrency");
      }
    });

    it("rejects a non-integer maxConcurrency as a type error", () => {
      expectFailure(
        `{${BASE},"permissions":{"taskqueue":{"maxConcurrency":2.5}}}`,
        "parsing manifest JSON: json: cannot unmarshal number 2.5 into Go struct field Permissions.permissions.taskqueue.maxConcurrency of type int",
        "/permissions/taskqueue/maxConcurrency",
      );
      expect(failure(`{${BASE},"permissions":{"taskqueue":{"maxConcurrency":"2"}}}`).message).toContain("cannot unmarshal string into Go struct field");
    });
  });

  describe("rule 5: cross-field permissions", () => {
    it("requires users for subsonicapi", () => {
      expectFailure(`{${BASE},"permissions":{"subsonicapi":{}}}`, "validating manifest: 'subsonicapi' permission requires 'users' permission to be declared", "/permissions/subsonicapi");
      expect(parseManifest(`{${BASE},"permissions":{"subsonicapi":{},"users":{}}}`).permissions?.subsonicapi).toEqual({});
    });

    it("reports the path as the document spells it", () => {
      expect(failure(`{${BASE},"Permissions":{"subsonicAPI":{}}}`).path).toBe("/Permissions/subsonicAPI");
    });

    it("counts a null users permission as missing", () => {
      expect(failure(`{${BASE},"permissions":{"subsonicapi":{},"users":null}}`).message).toContain("'subsonicapi' permission requires 'users'");
    });

    it("checks the endpoints permission of open PR #5045 (required enum auth; users unless auth is none)", () => {
      expect(failure(`{${BASE},"permissions":{"endpoints":{}}}`).message).toBe("parsing manifest JSON: field auth in EndpointsPermission: required");
      expect(failure(`{${BASE},"permissions":{"endpoints":{"auth":"basic"}}}`).message).toBe(
        'parsing manifest JSON: invalid value (expected one of []interface {}{"native", "subsonic", "none"}): "basic"',
      );
      expect(failure(`{${BASE},"permissions":{"endpoints":{"auth":null}}}`).message).toMatch(/: ""$/);
      expect(failure(`{${BASE},"permissions":{"endpoints":{"auth":"subsonic"}}}`).message).toBe(
        "validating manifest: 'endpoints' permission with auth 'subsonic' requires 'users' permission to be declared",
      );
      expect(failure(`{${BASE},"permissions":{"endpoints":{"auth":"native"}}}`).path).toBe("/permissions/endpoints");
      expect(parseManifest(`{${BASE},"permissions":{"endpoints":{"auth":"none","paths":["/webhook"]}}}`).permissions?.endpoints).toEqual({ auth: "none", paths: ["/webhook"] });
      expect(parseManifest(`{${BASE},"permissions":{"endpoints":{"auth":"subsonic","paths":["/hello","/echo"]},"users":{}}}`).permissions?.endpoints?.auth).toBe("subsonic");
    });

    it("applies the later scrobbleRetriever and matcher rules", () => {
      expect(failure(`{${BASE},"permissions":{"scrobbleRetriever":{}}}`).message).toBe(
        "validating manifest: 'scrobbleRetriever' permission requires 'users' permission to be declared",
      );
      expect(failure(`{${BASE},"permissions":{"matcher":{}}}`).message).toBe("validating manifest: 'matcher' permission requires 'library' permission to be declared");
      expect(parseManifest(`{${BASE},"permissions":{"matcher":{},"library":{}}}`).permissions?.matcher).toEqual({});
    });
  });

  describe("rule 6: config schema compiles", () => {
    it("rejects an unknown type", () => {
      const err = failure(`{${BASE},"config":{"schema":{"type":"invalid_type"}}}`);
      expect(err.message).toMatch(/^validating manifest: invalid config schema: /);
      expect(err.path).toBe("/config/schema");
    });

    it("rejects a negative minLength", () => {
      const err = failure(`{${BASE},"config":{"schema":{"type":"object","properties":{"k":{"type":"string","minLength":-1}}}}}`);
      expect(err.message).toMatch(/^validating manifest: invalid config schema: /);
    });

    it("checks rule 5 before rule 6", () => {
      expect(failure(`{${BASE},"permissions":{"subsonicapi":{}},"config":{"schema":{"type":"bad"}}}`).message).toContain("subsonicapi");
    });

    it("accepts a valid schema and keeps uiSchema as given", () => {
      const m = parseManifest(`{${BASE},"config":{"schema":{"type":"object","properties":{"k":{"type":"string"}}},"uiSchema":{"type":"VerticalLayout"}}}`);
      expect(m.config).toEqual({ schema: { type: "object", properties: { k: { type: "string" } } }, uiSchema: { type: "VerticalLayout" } });
    });
  });

  describe("strict mode", () => {
    it("rejects unknown keys with their path", () => {
      const top = failure(`{${BASE},"capabilities":[]}`, { strict: true });
      expect(top.message).toBe('validating manifest: additional property "capabilities" is not allowed');
      expect(top.path).toBe("/capabilities");
      expect(failure(`{${BASE},"permissions":{"http":{"allowedURLs":[]}}}`, { strict: true }).path).toBe("/permissions/http/allowedURLs");
      expect(failure(`{${BASE},"permissions":{"HTTP":{}}}`, { strict: true }).path).toBe("/permissions/HTTP");
    });

    it("leaves schema contents alone and still applies the lenient rules", () => {
      expect(parseManifest(`{${BASE},"config":{"schema":{"x-anything":1}}}`, { strict: true }).config?.schema).toEqual({ "x-anything": 1 });
      expect(failure(`{${BASE},"permissions":{"taskqueue":{"maxConcurrency":0}}}`, { strict: true }).message).toContain("must be >= 1");
    });

    it("is off by default", () => {
      expect(() => parseManifest(`{${BASE},"capabilities":[]}`)).not.toThrow();
    });
  });
});
