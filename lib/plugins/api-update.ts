import "server-only";
import { findPlugin } from "../db/plugins";
import { AppError } from "../errors";
import { checkConfigForSave, pluginResource } from "./admin";
import { unmaskConfig } from "./config-secrets";
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

  const patch: SettingsPatch = {};
  if (body.config !== undefined) {
    const sent = typeof body.config === "string" ? body.config : JSON.stringify(body.config);
    // Secrets come back masked from the API; keep the stored value for those.
    const config = unmaskConfig(sent, record.config, parseStoredManifest(record.manifest));
    if (config !== "") {
      try {
        JSON.parse(config);
      } catch {
        return text(400, "Invalid JSON in config field");
      }
    }
    const problem = checkConfigForSave(record, config);
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
  if (Object.keys(patch).length) {
    try {
      await manager.saveSettings(id, patch);
    } catch (err) {
      return text(500, (err as Error).message);
    }
  }
  if (typeof body.enabled === "boolean") {
    try {
      if (body.enabled) await manager.enable(id);
      else await manager.disable(id);
    } catch (err) {
      if (body.enabled && err instanceof AppError && err.code === "UNPROCESSABLE")
        return Response.json({ message: err.message, plugin: pluginResource((await findPlugin(id))!) }, { status: 422 });
      return text(500, (err as Error).message);
    }
  }
  return Response.json(pluginResource((await findPlugin(id))!));
}
