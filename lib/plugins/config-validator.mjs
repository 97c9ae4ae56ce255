// @ts-check
// Compiles a plugin's `config.schema` with ajv and turns its errors into the per-field list
// the API answers (contract §6.2). Plain JavaScript so the same code runs on the main
// thread (config-schema.ts, for checks that never meet a string) and in the validation
// worker (config-validation-worker.mjs), which Node loads from disk by path.

import Ajv2020 from "ajv/dist/2020.js";
import Ajv2019 from "ajv/dist/2019.js";
import AjvDraft7 from "ajv";

/** @typedef {{ field: string; message: string }} ConfigFieldError */

/**
 * The ajv for the schema's draft: `$schema` decides, 2020-12 when absent (Navidrome's
 * validator defaults to the latest draft).
 * @param {Record<string, unknown>} schema
 */
function ajvFor(schema) {
  const draft = String(schema.$schema ?? "");
  const opts = /** @type {const} */ ({ allErrors: true, strict: false, validateFormats: false });
  if (draft.includes("draft-07") || draft.includes("draft-06") || draft.includes("draft-04")) return new AjvDraft7(opts);
  if (draft.includes("2019-09")) return new Ajv2019(opts);
  return new Ajv2020(opts);
}

/** @param {import("ajv").ErrorObject} e */
function fieldOf(e) {
  const base = e.instancePath.replace(/^\//, "");
  // A missing required property is reported on that property, where the form shows it.
  if (e.keyword === "required") return [base, /** @type {{ missingProperty: string }} */ (e.params).missingProperty].filter(Boolean).join("/");
  return base;
}

const SUMMARY_KEYWORDS = new Set(["anyOf", "oneOf", "allOf", "if"]);

/**
 * Compiles `schema` (already within the limits of schema-limits.ts) into a function that
 * returns the leaf errors of validating a config against it (none when valid).
 * @param {Record<string, unknown>} schema
 * @returns {(config: unknown) => ConfigFieldError[]}
 */
export function compileConfigValidator(schema) {
  const validate = ajvFor(schema).compile(schema);
  return (config) => {
    if (validate(config)) return [];
    // Leaf errors only: drop the summary errors of composite keywords.
    return (validate.errors ?? []).filter((e) => !SUMMARY_KEYWORDS.has(e.keyword)).map((e) => ({ field: fieldOf(e), message: e.message ?? "is invalid" }));
  };
}
