import { brandErrorClass } from "../../errors";
import type { CallOptions } from "../engine";
import { PluginError } from "../errors";

/**
 * How a host service calls back into the plugin it serves (scheduler callbacks, task
 * execution, WebSocket events): one export, Navidrome's calling convention, a fresh
 * instance per call. Once the plugin is unloaded every call fails with
 * PluginNotLoadedError, so no callback outlives its plugin.
 */
export type PluginCaller = <O = unknown>(exportName: string, input: unknown, opts?: CallOptions) => Promise<O | undefined>;

/** A callback for a plugin that is no longer (or not yet) registered. */
export class PluginNotLoadedError extends PluginError {
  constructor(readonly pluginId: string) {
    super(`plugin ${pluginId} not loaded`);
    this.name = "PluginNotLoadedError";
  }
}
// Without its own brand, `instanceof` would answer for every PluginError (lib/errors.ts).
brandErrorClass(PluginNotLoadedError, "PluginNotLoadedError");

/** Go's "cannot unmarshal" wording for a JSON value of the wrong kind. */
export function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  return typeof v === "object" ? "object" : typeof v;
}

/**
 * Exports "without output" (contract §2.3 step 7): the host still decodes non-empty output
 * into an empty struct, so only empty output, `null` or an object are accepted.
 */
export function checkNoOutput(value: unknown): void {
  if (value === undefined || value === null || jsonKind(value) === "object") return;
  throw new PluginError(`json: cannot unmarshal ${jsonKind(value)} into Go value of type struct {}`);
}
