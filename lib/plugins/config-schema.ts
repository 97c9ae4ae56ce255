import Ajv2020 from "ajv/dist/2020";
import Ajv2019 from "ajv/dist/2019";
import AjvDraft7 from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import { checkConfigValueLimits, checkSchemaLimits, type SchemaCost } from "./schema-limits";

/**
 * Validates an admin-saved config against the plugin's `config.schema` (contract §6.2),
 * the server-side twin of the form's browser validation. Drafts follow `$schema`
 * (2020-12 when absent, as Navidrome's validator defaults to the latest draft).
 */
export interface ConfigFieldError {
  /** Instance path joined with "/" (empty for the root), e.g. `accounts/0/token`. */
  field: string;
  message: string;
}

function ajvFor(schema: Record<string, unknown>) {
  const draft = String(schema.$schema ?? "");
  const opts = { allErrors: true, strict: false, validateFormats: false } as const;
  if (draft.includes("draft-07") || draft.includes("draft-06") || draft.includes("draft-04")) return new AjvDraft7(opts);
  if (draft.includes("2019-09")) return new Ajv2019(opts);
  return new Ajv2020(opts);
}

const cache = new WeakMap<object, { validate: ValidateFunction; cost: SchemaCost }>();

function fieldOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, "");
  // A missing required property is reported on that property, where the form shows it.
  if (e.keyword === "required") return [base, (e.params as { missingProperty: string }).missingProperty].filter(Boolean).join("/");
  return base;
}

/**
 * Validates `config` against a plugin's schema. The schema is checked against the static
 * limits of schema-limits.ts before ajv compiles it, and the config against the config
 * limits before it is validated: both throw `SchemaLimitError` (a plugin-supplied schema
 * must never cost unbounded time or memory).
 */
export function validatePluginConfig(schema: Record<string, unknown>, config: unknown): ConfigFieldError[] {
  let compiled = cache.get(schema);
  if (!compiled) {
    const cost = checkSchemaLimits(schema);
    cache.set(schema, (compiled = { validate: ajvFor(schema).compile(schema), cost }));
  }
  checkConfigValueLimits(config, compiled.cost);
  const { validate } = compiled;
  if (validate(config)) return [];
  // Leaf errors only: drop the summary errors of composite keywords.
  return (validate.errors ?? [])
    .filter((e) => !["anyOf", "oneOf", "allOf", "if"].includes(e.keyword))
    .map((e) => ({ field: fieldOf(e), message: e.message ?? "is invalid" }));
}

/** Navidrome's 400 message: `<field>: <msg>; …`. */
export function formatConfigErrors(errors: ConfigFieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join("; ");
}
