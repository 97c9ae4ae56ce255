import { compileConfigValidator } from "./config-validator.mjs";
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

const cache = new WeakMap<object, { validate: (config: unknown) => ConfigFieldError[]; cost: SchemaCost }>();

/**
 * Validates `config` against a plugin's schema on the calling thread. The schema is
 * checked against the static limits of schema-limits.ts before ajv compiles it, and the
 * config against the config limits before it is validated: both throw `SchemaLimitError`.
 *
 * Those limits bound everything but regex backtracking, which grows polynomially with the
 * length of a string matched by an accepted `pattern` (`^\d+\d+\d+x$` takes seconds on
 * 2000 characters). So this synchronous form is only for values without strings to
 * match, like the `{}` the manifest check validates; a config someone typed is validated
 * with `validateConfigOffThread` (config-validation-pool.ts), under a time budget.
 */
export function validatePluginConfig(schema: Record<string, unknown>, config: unknown): ConfigFieldError[] {
  let compiled = cache.get(schema);
  if (!compiled) {
    const cost = checkSchemaLimits(schema);
    cache.set(schema, (compiled = { validate: compileConfigValidator(schema), cost }));
  }
  checkConfigValueLimits(config, compiled.cost);
  return compiled.validate(config);
}

/** Navidrome's 400 message: `<field>: <msg>; …`. */
export function formatConfigErrors(errors: ConfigFieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join("; ");
}
