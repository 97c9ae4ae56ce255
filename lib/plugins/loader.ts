import "server-only";
import type { PluginRecord } from "../db/plugins";
import { log } from "../log";
import type { PluginActivity } from "./activity";
import { callPluginFunction } from "./call";
import { detectCapabilities, validateWithCapabilities, type Capability } from "./capabilities/registry";
import { describeUnresolvedImports, exportNotes, importNotes } from "./compat/classify";
import { configMapFromJson } from "./config-map";
import { UnresolvedImportsError, type Engine, type EngineModule, type LogLevel } from "./engine";
import { PluginError } from "./errors";
import { isUsablePluginId } from "./id";
import { pluginMounts } from "./host/mounts";
import { PluginNotLoadedError, type PluginCaller } from "./host/plugin-caller";
import { createHostFunctions, providedHostServices } from "./host/registry";
import type { Manifest } from "./manifest/types";
import { openPackage } from "./package";

/** A plugin in the registry: its compiled module, detected capabilities and live services. */
export interface LoadedPlugin {
  id: string;
  record: PluginRecord;
  manifest: Manifest;
  capabilities: Capability[];
  module: EngineModule;
  activity: PluginActivity;
  loadedAt: Date;
  /** Calls currently running; unload waits (up to 5 s) for them to finish. */
  inflight: number;
  /** Runs `nd_on_init` when exported; failures are logged, never fatal (contract §3.6). */
  initialise(owner: unknown): Promise<void>;
  /** Tears down host services, then closes the module. */
  close(): Promise<void>;
  /** Background state of its host services (schedules, task queues, sockets) for the admin page. */
  background(): Record<string, unknown>;
}

export interface LoadContext {
  engine: Engine;
  dataFolder: string;
  logLevel: string;
  timeoutMs: number;
  memoryLimitBytes: number;
  activity: PluginActivity;
}

const UNLOAD_GRACE_MS = 5000;
const PLUGIN_LOG_LEVELS = new Set(["trace", "debug", "info", "warn", "error"]);

function wrap(prefix: string, err: unknown): PluginError {
  return new PluginError(`${prefix}: ${(err as Error).message}`, { cause: err });
}

/**
 * Loads a plugin (contract §5.5): decode settings, open and re-validate the package,
 * create the host services its permissions grant, compile, detect capabilities, apply
 * the load-time rules. The caller registers it and then calls `initialise`.
 */
export async function loadPlugin(record: PluginRecord, ctx: LoadContext): Promise<LoadedPlugin> {
  // Discovery never adds such ids, but a row stored before the rule (Navidrome 77726af59) could
  // still name one; its data directory would overlap other plugins'.
  if (!isUsablePluginId(record.id)) throw new PluginError(`invalid plugin ID ${JSON.stringify(record.id)}`);
  const config = configMapFromJson(record.config);
  const pkg = await openPackage(record.path);
  const manifest = pkg.manifest;
  const pluginLog = log.child({ plugin: record.id });
  // Host callbacks reach the plugin only while it is loaded: from the moment the caller
  // gets it (and registers it) until its unload starts.
  let plugin: LoadedPlugin | null = null;
  let active = false;
  const callPlugin: PluginCaller = (name, input, opts) => {
    if (!plugin || !active) return Promise.reject(new PluginNotLoadedError(record.id));
    return callPluginFunction(plugin, name, input, opts);
  };
  let mounts;
  try {
    mounts = await pluginMounts(record, manifest, ctx.dataFolder);
  } catch (err) {
    throw wrap("failed to get libraries for filesystem access", err);
  }
  const services = await createHostFunctions({ pluginId: record.id, manifest, record, config, dataFolder: ctx.dataFolder, callPlugin, activity: ctx.activity });

  let module: EngineModule;
  try {
    module = await ctx.engine.load(pkg.wasm, {
      name: record.id,
      cacheKey: record.sha256,
      hostFunctions: services.functions,
      config,
      allowedHosts: manifest.permissions?.http?.requiredHosts ?? [],
      logLevel: (PLUGIN_LOG_LEVELS.has(ctx.logLevel) ? ctx.logLevel : "info") as LogLevel,
      onLog: (level, message) => {
        ctx.activity.log(level, message);
        pluginLog[level === "trace" ? "trace" : level]({ plugin: record.id }, message);
      },
      timeoutMs: ctx.timeoutMs,
      memoryLimitBytes: ctx.memoryLimitBytes,
      mounts,
    });
  } catch (err) {
    await services.close();
    if (err instanceof UnresolvedImportsError) {
      const message = describeUnresolvedImports(err.imports, {
        declaredPermissions: Object.keys(manifest.permissions ?? {}),
        providedPermissions: providedHostServices(),
      });
      throw new PluginError(`creating instance: ${message}`, { cause: err });
    }
    throw wrap("creating instance", err);
  }
  for (const note of [...importNotes(module.hostImports), ...exportNotes(module.exports)]) {
    ctx.activity.log("info", note);
    pluginLog.debug({ plugin: record.id }, note);
  }

  const capabilities = detectCapabilities(module.exports);
  try {
    validateWithCapabilities(manifest, capabilities, module.exports);
  } catch (err) {
    await module.close();
    await services.close();
    throw wrap("manifest validation", err);
  }

  const loaded: LoadedPlugin = {
    id: record.id,
    record,
    manifest,
    capabilities,
    module,
    activity: ctx.activity,
    loadedAt: new Date(),
    inflight: 0,
    async initialise() {
      if (!module.hasExport("nd_on_init")) return;
      try {
        await callPluginFunction(loaded, "nd_on_init", {});
      } catch (err) {
        const message = (err as Error).message;
        ctx.activity.log("error", `nd_on_init failed: ${message}`);
        pluginLog.error({ err: message }, "Plugin initialisation failed");
      }
    },
    async close() {
      active = false;
      await services.close();
      const deadline = Date.now() + UNLOAD_GRACE_MS;
      while (loaded.inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await module.close();
    },
    background: () => services.status(),
  };
  plugin = loaded;
  active = true;
  return loaded;
}
