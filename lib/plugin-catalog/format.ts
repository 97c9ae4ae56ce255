import Ajv2020, { type ErrorObject } from "ajv/dist/2020";
import { isUsablePluginId } from "../plugins/id";
import schema from "./catalog.schema.json";
import type { Catalog, CatalogPlugin, CatalogVersion } from "./types";
import { compareVersions } from "./versions";

export type { Catalog, CatalogPlugin, CatalogVersion, SignatureStatus } from "./types";

/**
 * The catalog file format (docs/plugin-catalog.md): validated with the JSON Schema in
 * `catalog.schema.json` (published as docs/plugin-catalog.schema.json), plus the rules a
 * schema cannot say (unique ids and versions). Errors name the field, e.g.
 * `plugins[0].versions[1].sha256: must be 64 lowercase hex digits`.
 */

/** A catalog that does not follow the format; `field` is the dotted path of the first problem ("" for the whole file). */
export class CatalogFormatError extends Error {
  name = "CatalogFormatError";
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const validate = new Ajv2020({ allErrors: false, strict: false }).compile<Catalog>(schema);

/** Friendlier words for the schema's patterns and constants, by the field's last name. */
const PATTERN_TEXT: Record<string, string> = {
  sha256: "must be 64 lowercase hex digits",
  id: "must be a plugin id (letters, digits, '.', '_', '-'; not starting or ending with '.')",
  minApi: 'must be a Navidrome release such as "v0.61.0"',
  maxApi: 'must be a Navidrome release such as "v0.61.0"',
  published: 'must be an ISO date such as "2026-05-01" or "2026-05-01T12:00:00Z"',
  value: "must be a base64 ed25519 signature (88 characters)",
  homepage: "must be an http or https URL",
};

/** `/plugins/0/versions/1/sha256` ⇒ `plugins[0].versions[1].sha256`. */
function fieldPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), "");
}

function describe(e: ErrorObject): CatalogFormatError {
  let field = fieldPath(e.instancePath);
  let text = e.message ?? "is invalid";
  if (e.keyword === "required") {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    field = field ? `${field}.${missing}` : missing;
    text = "is required";
  } else if (e.keyword === "pattern") text = PATTERN_TEXT[field.split(".").pop()!.replace(/\[\d+\]$/, "")] ?? text;
  else if (e.keyword === "const" && field === "schemaVersion") text = "must be 1 (the only catalog format this server reads)";
  return new CatalogFormatError(`${field || "catalog"}: ${text}`, field);
}

function isHttpOrRelative(url: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(url, "http://catalog.invalid/").protocol);
  } catch {
    return false;
  }
}

/** Checks a parsed catalog document; answers it typed, or throws CatalogFormatError naming the field. */
export function parseCatalog(json: unknown): Catalog {
  if (!validate(json)) throw describe(validate.errors![0]);
  const ids = new Set<string>();
  json.plugins.forEach((p, i) => {
    if (!isUsablePluginId(p.id)) throw new CatalogFormatError(`plugins[${i}].id: ${PATTERN_TEXT.id}`, `plugins[${i}].id`);
    if (ids.has(p.id)) throw new CatalogFormatError(`plugins[${i}].id: plugin "${p.id}" is listed twice`, `plugins[${i}].id`);
    ids.add(p.id);
    const versions = new Set<string>();
    p.versions.forEach((v, j) => {
      // Relative URLs resolve against the catalog's (http or https) URL; absolute ones must be http(s) themselves.
      if (!isHttpOrRelative(v.url)) throw new CatalogFormatError(`plugins[${i}].versions[${j}].url: must be an http or https URL, or relative to the catalog`, `plugins[${i}].versions[${j}].url`);
      const field = `plugins[${i}].versions[${j}].version`;
      const key = v.version.replace(/^v/i, "");
      if (versions.has(key)) throw new CatalogFormatError(`${field}: version "${v.version}" of "${p.id}" is listed twice`, field);
      versions.add(key);
    });
  });
  return json;
}

/** Parses catalog text (the fetched body); invalid JSON is a CatalogFormatError too. */
export function parseCatalogText(text: string): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CatalogFormatError(`catalog is not JSON: ${(err as Error).message}`, "");
  }
  return parseCatalog(json);
}

/** A plugin's versions, newest first. */
export function versionsNewestFirst(plugin: CatalogPlugin): CatalogVersion[] {
  return [...plugin.versions].sort((a, b) => compareVersions(b.version, a.version));
}
