import "server-only";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import {
  clearPluginErrors,
  deletePluginRow,
  findPlugin,
  insertPlugin,
  listPlugins,
  updatePlugin,
  type PluginPatch,
  type PluginRecord,
} from "../db/plugins";
import { AppError } from "../errors";
import { log } from "../log";
import { PluginActivity } from "./activity";
import { callPluginFunction, callPluginFunctionRaw, type CallOptions } from "./call";
import type { Capability } from "./capabilities/registry";
import { Engine } from "./engine";
import { PluginError } from "./errors";
import { isUsablePluginId, pluginIdFromFileName } from "./id";
import { loadPlugin, type LoadedPlugin } from "./loader";
import { parseStoredManifest } from "./manifest/stored";
import { readManifestOnly, sha256File } from "./package";
import { serializeManifest } from "./manifest/serialize";
import { watchPluginsFolder } from "./watcher";

export interface ManagerOptions {
  enabled: boolean;
  folder: string;
  dataFolder: string;
  autoReload: boolean;
  logLevel: string;
  timeoutMs: number;
  memoryLimitBytes: number;
  workers: number;
  /**
   * CLI loads (contract §5.14): a plugin is loaded only to check it, so `nd_on_init` is
   * skipped; the gates, load errors and `lastError` rules are unchanged.
   */
  transient?: boolean;
  /** `Plugins.CacheSize`: limit of the compiled-module cache (0 disables it). */
  cacheSizeBytes?: number;
}

/** A package that could not be added (contract §1.8: Navidrome only logs these; we also list them). */
export interface InvalidPackage {
  file: string;
  error: string;
  at: string;
}

export interface SyncReport {
  added: string[];
  changed: string[];
  removed: string[];
  invalid: InvalidPackage[];
}

/** Settings an admin saves (contract §5.7), already decoded. */
export interface SettingsPatch {
  config?: string;
  users?: string[];
  allUsers?: boolean;
  libraries?: number[];
  allLibraries?: boolean;
  allowWriteAccess?: boolean;
}

const LOAD_PARALLELISM = 3;

/**
 * Owns every plugin's lifecycle: discovery (folder ⇄ database), loading and unloading,
 * enable/disable with the permission gates, settings saves with their reloads, the
 * auto-reload watcher, and calls into loaded plugins. Operations on one plugin are
 * serialised; different plugins proceed in parallel.
 */
export class PluginManager {
  readonly engine: Engine;
  private readonly loaded = new Map<string, LoadedPlugin>();
  private readonly activities = new Map<string, PluginActivity>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private invalid = new Map<string, InvalidPackage>();
  private stopWatcher: (() => void) | null = null;
  private started = false;
  private readonly removalListeners: ((id: string) => Promise<void>)[] = [];
  private readonly lifetimeListeners: { loaded(plugin: LoadedPlugin): void; unloading(id: string): void }[] = [];

  constructor(readonly opts: ManagerOptions) {
    this.engine = new Engine({ workers: opts.workers || undefined, compileCacheBytes: opts.cacheSizeBytes ?? 0 });
  }

  /** Start-up sequence of contract §5.3. */
  async start(): Promise<void> {
    if (!this.opts.enabled || this.started) return;
    this.started = true;
    mkdirSync(this.opts.folder, { recursive: true, mode: 0o755 });
    await clearPluginErrors();
    await this.sync();
    const enabled = (await listPlugins()).filter((p) => p.enabled);
    for (let i = 0; i < enabled.length; i += LOAD_PARALLELISM) {
      await Promise.all(
        enabled.slice(i, i + LOAD_PARALLELISM).map((p) =>
          this.withLock(p.id, async () => {
            try {
              await this.load(p);
            } catch (err) {
              const message = (err as Error).message;
              log.error({ plugin: p.id, err: message }, "Error loading plugin");
              await updatePlugin(p.id, { enabled: false, lastError: message });
            }
          }),
        ),
      );
    }
    if (this.opts.autoReload) this.stopWatcher = watchPluginsFolder(this.opts.folder, (file) => void this.onFileSettled(file));
  }

  async stop(): Promise<void> {
    this.stopWatcher?.();
    this.stopWatcher = null;
    await Promise.all([...this.loaded.keys()].map((id) => this.withLock(id, () => this.unload(id))));
    await this.engine.close();
    this.started = false;
  }

  private async withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    this.locks.set(id, next);
    try {
      return await next;
    } finally {
      if (this.locks.get(id) === next) this.locks.delete(id);
    }
  }

  /** Runs `fn` after a plugin is deleted because its file is gone (not on disable or reload). */
  onPluginRemoved(fn: (id: string) => Promise<void>): void {
    this.removalListeners.push(fn);
  }

  /**
   * Follows plugins' lifetimes: `loaded` after each load and `nd_on_init` (not for CLI loads),
   * `unloading` when one leaves the registry, before its services close. Listeners must not throw.
   */
  onPluginLifetime(listener: { loaded(plugin: LoadedPlugin): void; unloading(id: string): void }): void {
    this.lifetimeListeners.push(listener);
  }

  private async notifyRemoved(id: string): Promise<void> {
    for (const fn of this.removalListeners) {
      try {
        await fn(id);
      } catch (err) {
        // The plugin is gone either way; a listener's cleanup failure must not stop the sync.
        log.error({ plugin: id, err: (err as Error).message }, "Error cleaning up after a removed plugin");
      }
    }
  }

  activity(id: string): PluginActivity {
    let a = this.activities.get(id);
    if (!a) this.activities.set(id, (a = new PluginActivity()));
    return a;
  }

  private async load(record: PluginRecord): Promise<LoadedPlugin> {
    const activity = this.activity(record.id);
    const plugin = await loadPlugin(record, {
      engine: this.engine,
      dataFolder: this.opts.dataFolder,
      logLevel: this.opts.logLevel,
      timeoutMs: this.opts.timeoutMs,
      memoryLimitBytes: this.opts.memoryLimitBytes,
      activity,
    });
    this.loaded.set(record.id, plugin);
    await updatePlugin(record.id, { lastError: "" });
    log.info({ plugin: record.id, capabilities: plugin.capabilities }, "Loaded plugin");
    activity.log("info", `loaded; capabilities: ${plugin.capabilities.join(", ") || "none"}`);
    if (!this.opts.transient) {
      await plugin.initialise(this);
      for (const l of this.lifetimeListeners) l.loaded(plugin);
    }
    return plugin;
  }

  /** Unload (contract §5.5): out of the registry first, then service closers, then the module. */
  private async unload(id: string): Promise<void> {
    const plugin = this.loaded.get(id);
    if (!plugin) return;
    this.loaded.delete(id);
    for (const l of this.lifetimeListeners) l.unloading(id);
    await plugin.close();
    this.activity(id).log("info", "unloaded");
    log.info({ plugin: id }, "Unloaded plugin");
  }

  // ── discovery ────────────────────────────────────────────────────────────────

  /** Folder ⇄ database sync (contract §5.4), used at start-up and by rescans. */
  async sync(): Promise<SyncReport> {
    if (!existsSync(this.opts.folder)) throw new PluginError(`plugins folder ${this.opts.folder} does not exist`);
    const report: SyncReport = { added: [], changed: [], removed: [], invalid: [] };
    const seen = new Set<string>();
    for (const name of readdirSync(this.opts.folder).sort()) {
      const file = path.join(this.opts.folder, name);
      const id = pluginIdFromFileName(name);
      if (!id) continue;
      if (!isUsablePluginId(id)) {
        log.warn({ file: name }, "Skipping plugin with an unusable id");
        continue;
      }
      let stat;
      try {
        stat = statSync(file);
      } catch {
        continue;
      }
      if (!stat.isFile()) continue;
      seen.add(id);
      await this.withLock(id, () => this.syncFile(id, file, report));
    }
    for (const row of await listPlugins()) {
      if (seen.has(row.id)) continue;
      await this.withLock(row.id, async () => {
        await this.unload(row.id);
        await deletePluginRow(row.id);
        await this.notifyRemoved(row.id);
        report.removed.push(row.id);
        log.info({ plugin: row.id }, "Plugin file removed; plugin deleted");
      });
    }
    // Invalid packages whose files are gone (or became valid) drop off the list.
    for (const [file] of this.invalid) if (!existsSync(path.join(this.opts.folder, file)) || !report.invalid.some((i) => i.file === file)) this.invalid.delete(file);
    return report;
  }

  private async syncFile(id: string, file: string, report: SyncReport): Promise<void> {
    const sha256 = await sha256File(file);
    const row = await findPlugin(id);
    if (row && row.sha256 === sha256) {
      if (row.path !== file) await updatePlugin(id, { path: file });
      return;
    }
    let manifestJson: string;
    try {
      manifestJson = serializeManifest(await readManifestOnly(file));
    } catch (err) {
      const error = (err as Error).message;
      const entry = { file: path.basename(file), error, at: new Date().toISOString() };
      report.invalid.push(entry);
      this.invalid.set(entry.file, entry);
      if (row) {
        log.error({ plugin: id, err: error }, "Failed to extract manifest from plugin");
        await this.unload(id);
        await updatePlugin(id, { lastError: error, enabled: false, sha256 });
      } else log.error({ file, err: error }, "Failed to extract manifest from new plugin");
      return;
    }
    this.invalid.delete(path.basename(file));
    if (!row) {
      await insertPlugin({ id, path: file, manifest: manifestJson, sha256 });
      report.added.push(id);
      log.info({ plugin: id }, "Discovered new plugin");
      return;
    }
    // A changed package is disabled and re-consented by the admin; its settings are kept (§5.4, §5.11).
    await this.unload(id);
    await updatePlugin(id, { path: file, manifest: manifestJson, sha256, enabled: false, lastError: "" });
    report.changed.push(id);
    log.info({ plugin: id }, "Plugin file changed; plugin disabled");
  }

  private async onFileSettled(fileName: string): Promise<void> {
    const id = pluginIdFromFileName(fileName);
    if (!id || !isUsablePluginId(id)) return;
    const file = path.join(this.opts.folder, fileName);
    const report: SyncReport = { added: [], changed: [], removed: [], invalid: [] };
    try {
      await this.withLock(id, async () => {
        if (existsSync(file)) await this.syncFile(id, file, report);
        else if (await findPlugin(id)) {
          await this.unload(id);
          await deletePluginRow(id);
          await this.notifyRemoved(id);
          this.invalid.delete(fileName);
        } else this.invalid.delete(fileName);
      });
    } catch (err) {
      log.error({ file, err: (err as Error).message }, "Auto-reload failed");
    }
  }

  invalidPackages(): InvalidPackage[] {
    return [...this.invalid.values()].sort((a, b) => a.file.localeCompare(b.file));
  }

  // ── enable / disable / settings ───────────────────────────────────────────────

  /** Why a plugin cannot be enabled now (gates 11–12), or null. */
  static gateError(record: PluginRecord): string | null {
    const manifest = parseStoredManifest(record.manifest);
    if (manifest.permissions?.users && !record.allUsers && record.users.length === 0)
      return "users permission requires configuration: select users or enable 'all users' access";
    if (manifest.permissions?.library && !record.allLibraries && record.libraries.length === 0)
      return "library permission requires configuration: select libraries or enable 'all libraries' access";
    return null;
  }

  /** Enable (contract §5.6): gates, then load; a load failure is stored and answered as 422. */
  async enable(id: string): Promise<PluginRecord> {
    return this.withLock(id, async () => {
      const record = await this.getOrThrow(id);
      if (record.enabled && this.loaded.has(id)) return record;
      const fresh = { ...record, manifest: serializeManifest(await readManifestOnly(record.path)) };
      const gate = PluginManager.gateError(fresh);
      if (gate) throw new AppError("UNPROCESSABLE", gate);
      try {
        await this.load(record);
      } catch (err) {
        const message = (err as Error).message;
        await updatePlugin(id, { lastError: message, enabled: false });
        throw new AppError("UNPROCESSABLE", message, { cause: err });
      }
      await updatePlugin(id, { enabled: true, lastError: "" });
      return this.getOrThrow(id);
    });
  }

  async disable(id: string): Promise<PluginRecord> {
    return this.withLock(id, async () => {
      const record = await this.getOrThrow(id);
      if (!record.enabled && !this.loaded.has(id)) return record;
      await this.unload(id);
      await updatePlugin(id, { enabled: false });
      return this.getOrThrow(id);
    });
  }

  /**
   * Saves config, users and libraries in that order (contract §5.7). For an enabled
   * plugin each saved part either disables it (a required scope became empty) or
   * reloads it fully; a reload failure stores the error, disables it and throws.
   */
  async saveSettings(id: string, patch: SettingsPatch): Promise<PluginRecord> {
    return this.withLock(id, async () => {
      const parts: { what: string; data: PluginPatch }[] = [];
      if (patch.config !== undefined) parts.push({ what: "configuration", data: { config: patch.config } });
      if (patch.users !== undefined || patch.allUsers !== undefined) parts.push({ what: "users", data: { users: patch.users, allUsers: patch.allUsers } });
      if (patch.libraries !== undefined || patch.allLibraries !== undefined || patch.allowWriteAccess !== undefined)
        parts.push({ what: "libraries", data: { libraries: patch.libraries, allLibraries: patch.allLibraries, allowWriteAccess: patch.allowWriteAccess } });
      for (const part of parts) {
        await updatePlugin(id, part.data);
        const record = await this.getOrThrow(id);
        if (!record.enabled) continue;
        if (PluginManager.gateError(record)) {
          await this.unload(id);
          await updatePlugin(id, { enabled: false });
          continue;
        }
        await this.unload(id);
        try {
          await this.load(record);
        } catch (err) {
          const message = (err as Error).message;
          await updatePlugin(id, { enabled: false, lastError: message });
          throw new AppError("INTERNAL", `Error updating plugin ${part.what}: ${message}`, { cause: err });
        }
      }
      return this.getOrThrow(id);
    });
  }

  /** After a user or library is deleted (contract §5.8). */
  async removeScopeReferences(kind: "users" | "libraries", removedId: string | number): Promise<void> {
    for (const record of await listPlugins()) {
      const list = kind === "users" ? record.users : record.libraries;
      if (!(list as (string | number)[]).includes(removedId)) continue;
      await this.withLock(record.id, async () => {
        const next = (list as (string | number)[]).filter((v) => v !== removedId);
        await updatePlugin(record.id, kind === "users" ? { users: next as string[] } : { libraries: next as number[] });
        const updated = await this.getOrThrow(record.id);
        if (updated.enabled && PluginManager.gateError(updated)) {
          await this.unload(record.id);
          await updatePlugin(record.id, { enabled: false });
        }
      });
    }
  }

  private async getOrThrow(id: string): Promise<PluginRecord> {
    const record = await findPlugin(id);
    if (!record) throw new AppError("NOT_FOUND", "Plugin not found");
    return record;
  }

  // ── calls ────────────────────────────────────────────────────────────────────

  loadedPlugin(id: string): LoadedPlugin | undefined {
    return this.loaded.get(id);
  }

  loadedIds(): string[] {
    return [...this.loaded.keys()].sort();
  }

  /** Ids of loaded plugins with a capability (Navidrome's `PluginNames(capability)`). */
  pluginsWith(capability: Capability): string[] {
    return [...this.loaded.values()].filter((p) => p.capabilities.includes(capability)).map((p) => p.id);
  }

  /** Calls an export of a loaded plugin with Navidrome's calling convention (contract §2.3). */
  async call<O = unknown>(id: string, exportName: string, input: unknown, opts: CallOptions = {}): Promise<O | undefined> {
    const plugin = this.loaded.get(id);
    if (!plugin) throw new PluginError(`plugin ${id} is not loaded`);
    return callPluginFunction<O>(plugin, exportName, input, { timeoutMs: this.opts.timeoutMs, ...opts });
  }

  /** Calls a framed export with raw bytes in and out (Navidrome's `callPluginFunctionRaw`). */
  async callRaw(id: string, exportName: string, input: Uint8Array, opts: CallOptions = {}): Promise<Uint8Array> {
    const plugin = this.loaded.get(id);
    if (!plugin) throw new PluginError(`plugin ${id} is not loaded`);
    return callPluginFunctionRaw(plugin, exportName, input, { timeoutMs: this.opts.timeoutMs, ...opts });
  }
}
