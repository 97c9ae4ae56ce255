import "server-only";
import { findPlugin, type PluginRecord } from "../db/plugins";
import { AppError } from "../errors";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "../json-depth";
import type { PluginManager, SettingsPatch } from "../plugins";
import { formatConfigErrors } from "../plugins/config-schema";
import { validateConfigOffThread } from "../plugins/config-validation-pool";
import { PluginError } from "../plugins/errors";
import { parseStoredManifest } from "../plugins/manifest/stored";
import { SchemaLimitError } from "../plugins/schema-limits";
import { redactSecrets, unmaskConfig } from "./config-secrets";
import { pluginResource, type PluginResource } from "./resource";

const invalidJson = (field: string) => new AppError("INVALID_INPUT", `Invalid JSON in ${field} field`);

/** A JSON-in-string column (`users`, `libraries`): absent or `""` is an empty list. */
function parseJsonField<T>(value: unknown, field: string, check: (v: unknown) => v is T): T {
  if (value === undefined || value === "") return [] as unknown as T;
  if (typeof value !== "string") throw invalidJson(field);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalidJson(field);
  }
  if (!check(parsed)) throw invalidJson(field);
  return parsed;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const isIntArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x));

/**
 * Config check before a save: `""` validates as `{}`; a plugin without a schema takes no
 * config. Validation runs in a worker under a time budget (a plugin's `pattern` may
 * backtrack for seconds on a long string); overrunning it is a refusal like the limits.
 * Throws INVALID_INPUT with Navidrome's message (`<field>: <msg>; …`) and per-field messages.
 */
async function assertConfigValid(record: PluginRecord, configText: string): Promise<void> {
  const manifest = parseStoredManifest(record.manifest);
  const schema = manifest.config?.schema as Record<string, unknown> | undefined;
  if (!schema) throw new AppError("INVALID_INPUT", "plugin has no configurable options");
  const value: unknown = configText === "" ? {} : JSON.parse(configText);
  let errors;
  try {
    errors = await validateConfigOffThread(schema, value);
  } catch (err) {
    // A schema or config over the limits of schema-limits.ts, or over the time budget: refused.
    if (err instanceof SchemaLimitError) throw new AppError("INVALID_INPUT", err.message);
    throw err;
  }
  if (errors.length)
    throw new AppError("INVALID_INPUT", formatConfigErrors(errors), { fields: Object.fromEntries(errors.map((e) => [e.field, e.message])) });
}

/** The config to save: masked secrets resolved to the stored ones, and the result checked. */
async function configToSave(record: PluginRecord, sent: unknown): Promise<string> {
  const text = typeof sent === "string" ? sent : JSON.stringify(sent);
  if (exceedsJsonDepth(text)) throw new AppError("INVALID_INPUT", `config nests deeper than ${MAX_JSON_DEPTH} levels`);
  // Secrets come back masked from the API; each mask takes the stored secret it stands for
  // (unmaskConfig throws INVALID_INPUT with per-field messages for masks it cannot resolve).
  const config = unmaskConfig(text, record.config, parseStoredManifest(record.manifest));
  if (config !== "") {
    try {
      JSON.parse(config);
    } catch {
      throw invalidJson("config");
    }
  }
  await assertConfigValid(record, config);
  return config;
}

/** The settings a PUT body changes; a missing half of a pair keeps its stored value (contract §6.2 steps 3–4). */
async function settingsPatch(record: PluginRecord, body: Record<string, unknown>): Promise<SettingsPatch> {
  const patch: SettingsPatch = {};
  if (body.config !== undefined) patch.config = await configToSave(record, body.config);
  if (body.users !== undefined || body.allUsers !== undefined) {
    patch.users = body.users === undefined ? record.users : parseJsonField(body.users, "users", isStringArray);
    patch.allUsers = typeof body.allUsers === "boolean" ? body.allUsers : record.allUsers;
  }
  if (body.libraries !== undefined || body.allLibraries !== undefined || body.allowWriteAccess !== undefined) {
    patch.libraries = body.libraries === undefined ? record.libraries : parseJsonField(body.libraries, "libraries", isIntArray);
    patch.allLibraries = typeof body.allLibraries === "boolean" ? body.allLibraries : record.allLibraries;
    patch.allowWriteAccess = typeof body.allowWriteAccess === "boolean" ? body.allowWriteAccess : record.allowWriteAccess;
  }
  return patch;
}

function parseBody(rawBody: string): Record<string, unknown> {
  try {
    const body = JSON.parse(rawBody);
    if (body && typeof body === "object" && !Array.isArray(body)) return body;
  } catch {
    // answered below
  }
  throw new AppError("INVALID_INPUT", "Invalid request body");
}

/**
 * `PUT /api/plugin/{id}` with Navidrome's processing order, statuses and messages
 * (contract §6.2), answered in our one error shape: every refusal is an AppError whose
 * message is Navidrome's text (`Invalid JSON in config field`, `<field>: <msg>; …` with
 * per-field `fields` for the form, 422 with the load error for a failed enable, 500
 * `Error updating plugin configuration: …` for a failed reload). Returns the refreshed row.
 */
export async function updatePluginSettings(manager: PluginManager, id: string, rawBody: string): Promise<PluginResource> {
  const record = await findPlugin(id);
  if (!record) throw new AppError("NOT_FOUND", "Plugin not found");
  const body = parseBody(rawBody);
  const patch = await settingsPatch(record, body);
  const manifest = parseStoredManifest(record.manifest);
  // A failed (re)load is the plugin's own error, which the admin must see (as in lastError),
  // but it may quote the plugin's secrets. Anything else is internal: the edge logs it.
  const visible = (err: unknown): unknown => {
    const redact = (text: string) => redactSecrets(text, patch.config ?? record.config, manifest);
    if (err instanceof AppError) return new AppError(err.code, redact(err.message), { cause: err, fields: err.fields });
    if (err instanceof PluginError) return new AppError("INTERNAL", redact(err.message), { cause: err });
    return err;
  };
  try {
    if (Object.keys(patch).length) await manager.saveSettings(id, patch);
    if (body.enabled === true) await manager.enable(id);
    else if (body.enabled === false) await manager.disable(id);
  } catch (err) {
    throw visible(err);
  }
  const updated = await findPlugin(id);
  if (!updated) throw new AppError("NOT_FOUND", "Plugin not found");
  return pluginResource(updated);
}
