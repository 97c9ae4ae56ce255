import { parseDuration, parseSize, type Config } from "@/lib/config";
import { loadEncryptionKey } from "@/lib/auth/secrets";
import { configureDatabase, disconnectDatabase } from "@/lib/db/client";
import { findPlugin } from "@/lib/db/plugins";
import { migrateDatabase } from "@/lib/db/migrate";
import { AppError } from "@/lib/errors";
import { listPluginResources, pluginResource } from "@/lib/plugin-admin/resource";
import { updatePluginSettings } from "@/lib/plugin-admin/update-settings";
import { PluginManager } from "@/lib/plugins/manager";
import { setSettings } from "@/lib/server/settings";
import { listUsers } from "@/lib/users/users";
import { CliError, type LifecycleClient, type PluginClient, type RescanReport } from "./client";

/**
 * Works on the database and plugins folder of a stopped server, through the code the
 * server itself runs: the database is migrated as at boot, updates go through the
 * `PUT /api/plugin/{id}` handler logic, and a PluginManager applies the gates, loads
 * and `lastError` rules. Loads are transient (contract §5.14): a plugin is loaded to
 * check it, without `nd_on_init`, and unloaded when the command ends; the server loads
 * it for real at its next start. The folder watcher is never started.
 */
export async function openLocalClient(config: Config): Promise<PluginClient> {
  setSettings(config);
  // The server's key: masked secrets `config get` prints are the ones a later `config set` (or the server) resolves.
  loadEncryptionKey(config.resolved.dataFolder);
  migrateDatabase(config.resolved.databaseFile);
  configureDatabase(config.resolved.databaseFile);
  const manager = new PluginManager({
    enabled: true,
    folder: config.resolved.pluginsFolder,
    dataFolder: config.resolved.dataFolder,
    autoReload: false,
    logLevel: config.Plugins.LogLevel || config.LogLevel,
    timeoutMs: parseDuration(config.Plugins.CallTimeout),
    memoryLimitBytes: parseSize(config.Plugins.MemoryLimit),
    workers: config.Plugins.Workers,
    transient: true,
  });

  return {
    target: config.resolved.databaseFile,
    mode: "offline",
    async listPlugins() {
      return (await listPluginResources({ sort: "id", order: "ASC" })).items;
    },
    async getPlugin(id) {
      const record = await findPlugin(id);
      if (!record) throw new CliError("Plugin not found");
      return pluginResource(record);
    },
    async updatePlugin(id, body) {
      try {
        return await updatePluginSettings(manager, id, JSON.stringify(body));
      } catch (err) {
        // The refusal the server would answer, with the same message.
        if (err instanceof AppError) throw new CliError(err.message);
        throw err;
      }
    },
    async rescan(): Promise<RescanReport> {
      try {
        const { added, changed, removed, invalid } = await manager.sync();
        return { added, changed, removed, invalid: invalid.map(({ file, error }) => ({ file, error })) };
      } catch (err) {
        throw new CliError(`Error rescanning plugins: ${(err as Error).message}`);
      }
    },
    async listUsers() {
      return (await listUsers()).map(({ id, userName }) => ({ id, userName }));
    },
    lifecycle: localLifecycle(manager),
    async close() {
      await manager.stop();
      await disconnectDatabase();
    },
  };
}

/** The server's refusals (AppError) as the CLI's errors, with the same messages. */
async function asCli<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) throw new CliError(err.message);
    throw err;
  }
}

/**
 * The lifecycle operations on the database and folders directly, through the functions the
 * routes call, imported on first use (the other commands start without the catalog code).
 * Offline, a catalog refresh does not auto-update (that runs in the server).
 */
function localLifecycle(manager: PluginManager): LifecycleClient {
  const repos = () => import("@/lib/plugin-catalog/repositories");
  const update = () => import("@/lib/plugin-lifecycle/update");
  return {
    listRepositories: () => asCli(async () => (await repos()).listRepositories()),
    addRepository: (url) => asCli(async () => (await repos()).addRepository(url)),
    removeRepository: (id) => asCli(async () => (await repos()).removeRepository(id)),
    refreshRepositories: (id) => asCli(async () => (await repos()).refreshRepositories(id === undefined ? {} : { id })),
    searchCatalog: (filter) => asCli(async () => (await import("@/lib/plugin-catalog/browse")).listCatalogPlugins(filter)),
    install: (body) => asCli(async () => (await import("@/lib/plugin-lifecycle/install")).installFromCatalog(manager, body)),
    updateView: (id) => asCli(async () => (await update()).updateView(id)),
    update: (id, version) => asCli(async () => (await update()).updateFromCatalog(manager, id, { version })),
    approveUpdate: (id) => asCli(async () => (await update()).approvePendingUpdate(manager, id)),
    discardUpdate: (id) => asCli(async () => (await update()).discardPendingUpdate(manager, id)),
    history: async (id) => {
      if (!(await findPlugin(id))) throw new CliError("Plugin not found");
      return (await import("@/lib/plugin-lifecycle/store")).pluginHistory(id);
    },
    rollback: (id, target) => asCli(async () => (await import("@/lib/plugin-lifecycle/rollback")).rollbackPlugin(manager, id, target)),
  };
}
