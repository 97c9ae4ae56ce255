import "server-only";
import { findPlugin } from "../db/plugins";
import { AppError } from "../errors";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "../json-depth";
import { checkConfigForSave, pluginResource } from "./admin";
import { redactSecrets, unmaskConfig } from "./config-secrets";
import { parseStoredManifest } from "./manifest/stored";
import type { PluginManager, SettingsPatch } from "./manager";

const text = (status: number, body: string) => new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

function parseJsonField<T>(value: unknown, field: string, check: (v: unknown) => v is T): T | Response {
  if (value === undefined || value === "") return [] as unknown as T;
  if (typeof value !== "string") return text(400, `Invalid JSON in ${field} field`);
  try {
    const parsed = JSON.parse(value);
    if (!check(parsed)) return text(400, `Invalid JSON in ${field} field`);
    return parsed;
  } catch {
    return text(400, `Invalid JSON in ${field} field`);
  }
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const isIntArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x));

/**
 * `PUT /api/plugin/{id}` with Navidrome's processing order and answers (contract §6.2):
 * text errors for malformed input, `{"message"}` JSON for config validation, 422 with
 * the refreshed row for a failed enable, 200 with the row on success. Our additions:
 * `fields` (per-field config errors for the form).
 */
export async function updatePluginFromApi(manager: PluginManager, id: string, rawBody: string): Promise<Response> {
  const record = await findPlugin(id);
  if (!record) return text(404, "Plugin not found");
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(rawBody);
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new Error();
  } catch {
    return text(400, "Invalid request body");
  }

  const manifest = parseStoredManifest(record.manifest);
  const patch: SettingsPatch = {};
  if (body.config !== undefined) {
    const sent = typeof body.config === "string" ? body.config : JSON.stringify(body.config);
    if (exceedsJsonDepth(sent)) return text(400, `config nests deeper than ${MAX_JSON_DEPTH} levels`);
    // Secrets come back masked from the API; each mask takes the stored secret it stands for.
    let config: string;
    try {
      config = unmaskConfig(sent, record.config, manifest);
    } catch (err) {
      if (err instanceof AppError && err.code === "INVALID_INPUT") return Response.json({ message: err.message, fields: err.fields ?? {} }, { status: 400 });
      throw err;
    }
    if (config !== "") {
      try {
        JSON.parse(config);
      } catch {
        return text(400, "Invalid JSON in config field");
      }
    }
    const problem = await checkConfigForSave(record, config);
    if (problem) return Response.json({ message: problem.message, fields: problem.fields }, { status: 400 });
    patch.config = config;
  }
  if (body.users !== undefined || body.allUsers !== undefined) {
    const users = body.users === undefined ? record.users : parseJsonField(body.users, "users", isStringArray);
    if (users instanceof Response) return users;
    patch.users = users;
    patch.allUsers = typeof body.allUsers === "boolean" ? body.allUsers : record.allUsers;
  }
  if (body.libraries !== undefined || body.allLibraries !== undefined || body.allowWriteAccess !== undefined) {
    const libraries = body.libraries === undefined ? record.libraries : parseJsonField(body.libraries, "libraries", isIntArray);
    if (libraries instanceof Response) return libraries;
    patch.libraries = libraries;
    patch.allLibraries = typeof body.allLibraries === "boolean" ? body.allLibraries : record.allLibraries;
    patch.allowWriteAccess = typeof body.allowWriteAccess === "boolean" ? body.allowWriteAccess : record.allowWriteAccess;
  }
  // A failed (re)load answers with the plugin's own error, which may quote its secrets.
  const failure = (err: unknown) => redactSecrets((err as Error).message, patch.config ?? record.config, manifest);
  if (Object.keys(patch).length) {
    try {
      await manager.saveSettings(id, patch);
    } catch (err) {
      return text(500, failure(err));
    }
  }
  if (typeof body.enabled === "boolean") {
    try {
      if (body.enabled) await manager.enable(id);
      else await manager.disable(id);
    } catch (err) {
      if (body.enabled && err instanceof AppError && err.code === "UNPROCESSABLE")
        return Response.json({ message: failure(err), plugin: pluginResource((await findPlugin(id))!) }, { status: 422 });
      return text(500, failure(err));
    }
  }
  return Response.json(pluginResource((await findPlugin(id))!));
}
