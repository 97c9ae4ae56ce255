import "server-only";
import { setMetadataAgentSource } from "../agents/agents";
import { loadEncryptionKey } from "../auth/secrets";
import { loadSigningSecrets } from "../auth/token";
import { loadConfig, type Config, type Env } from "../config";
import { configureDatabase, disconnectDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { ConfigError } from "../errors";
import { ensureDefaultLibrary, onLibraryDeleted } from "../libraries/libraries";
import { writeDemoLibrary } from "../media/demo-library";
import { transcoder } from "../media/transcode/transcoder";
import { startScan } from "../scanner/scanner";
import { dispatchAsUser } from "../subsonic/dispatch";
import { registerFastPath } from "../http/fast-path";
import { log, setLogFormat, setLogLevel } from "../log";
import { setLyricsSources } from "../lyrics/lyrics";
import { setSubsonicRouter, startPluginManager, stopPluginManager } from "../plugins";
import { setHttpEndpointSource } from "../endpoints/endpoint";
import { pluginHttpEndpointSource } from "../plugins/capabilities/http-endpoint";
import { pluginLyricsSources } from "../plugins/capabilities/lyrics";
import { pluginMetadataAgentSource } from "../plugins/capabilities/metadata-agent";
import { pluginScrobblerSource } from "../plugins/capabilities/scrobbler";
import { watchPlaylistProviders } from "../plugins/capabilities/playlist-provider";
import { pluginPlaylistSync, startPluginPlaylistSync, stopPluginPlaylistSync } from "../playlists/plugin-playlists";
import { pluginSonicSimilaritySource } from "../plugins/capabilities/sonic-similarity";
import { startCatalogRefresher, stopCatalogRefresher } from "../plugin-catalog/scheduler";
import { playTracker, startPlayTracker, stopPlayTracker } from "../scrobbler";
import { setSonicSimilaritySource } from "../sonic/sonic";
import { ensureDevAdmin, onUserDeleted } from "../users/users";
import { startPluginLifecycle, stopPluginLifecycle } from "../plugin-lifecycle/start";
import { fastRoute } from "./fast-routes";
import { makeDataFolderPrivate } from "./private-files";
import { remember } from "./remember";
import { setSettings } from "./settings";

/**
 * Ordered, idempotent start-up: config → database (migrations) → secrets → first-run
 * admin → default library. Runs once per process from instrumentation.ts; tests call
 * it directly with their own environment.
 */
export async function boot(env: Env = process.env): Promise<Config> {
  const state = remember("boot", () => ({ promise: null as Promise<Config> | null }));
  return (state.promise ??= start(env));
}

async function start(env: Env): Promise<Config> {
  const config = loadConfig(env);
  setSettings(config);
  setLogLevel(config.LogLevel);
  setLogFormat(config.LogFormat);
  makeDataFolderPrivate(config.resolved.dataFolder);
  loadEncryptionKey(config.resolved.dataFolder);
  const { applied, edited } = migrateDatabase(config.resolved.databaseFile);
  if (applied.length) log.info({ applied }, "database migrated");
  if (edited.length) log.warn({ edited }, "migration files changed after they were applied");
  configureDatabase(config.resolved.databaseFile);
  await loadSigningSecrets();
  const admin = await ensureDevAdmin(config.DevAutoCreateAdminPassword);
  if (admin) log.info({ userName: admin.userName }, "created admin user from DevAutoCreateAdminPassword");
  await ensureDefaultLibrary(config.resolved.musicFolder);
  // `npm run demo` (and the e2e server) start with a generated sample library.
  if (env.TESSITURA_DEMO === "1") {
    const written = writeDemoLibrary(config.resolved.musicFolder);
    if (written) log.info({ tracks: written, folder: config.resolved.musicFolder }, "wrote the demo library");
  }
  // Plugins call the Subsonic API in-process (SubsonicAPI host service): the one back-edge, injected here.
  setSubsonicRouter(dispatchAsUser);
  // `npm start` answers the Subsonic API before Next.js (lib/http/fast-path.ts).
  registerFastPath(fastRoute);
  // Playlist providers' syncers follow their plugins' lifetimes, from the first load at start-up on.
  startPluginPlaylistSync();
  const plugins = await startPluginManager(config, (m) => watchPlaylistProviders(m, pluginPlaylistSync));
  onUserDeleted((userId) => plugins.removeScopeReferences("users", userId));
  onLibraryDeleted((libraryId) => plugins.removeScopeReferences("libraries", libraryId));
  // Domain services own their capability interfaces; the plugin adapters implement them.
  setMetadataAgentSource(pluginMetadataAgentSource(plugins));
  setLyricsSources(pluginLyricsSources(plugins));
  setSonicSimilaritySource(pluginSonicSimilaritySource(plugins));
  setHttpEndpointSource(pluginHttpEndpointSource(plugins));
  startPlayTracker({ scrobblers: pluginScrobblerSource(plugins) });
  plugins.onPluginRemoved(async (id) => playTracker()?.discardBuffered(id));
  // Issue #15: auto-update after catalog refreshes; staged updates follow their plugins.
  if (plugins.opts.enabled) startPluginLifecycle(plugins);
  // Plugin catalogs: fetched a minute after start, then daily (lib/plugin-catalog/scheduler).
  startCatalogRefresher();
  if (config.Scanner.ScanOnStartup) void startScan();
  // Finds ffmpeg now, so a missing one is reported at start-up rather than on the first stream.
  transcoder();
  // No port here: scripts/server.mjs may listen elsewhere than `Port` (--port) and logs where it does.
  log.info({ dataFolder: config.resolved.dataFolder, database: config.resolved.databaseFile }, "Tessitura started");
  return config;
}

/** Boot for the server process: a configuration or database problem ends it with one clear line. */
export async function bootOrExit(): Promise<void> {
  try {
    await boot();
  } catch (err) {
    const known = err instanceof ConfigError || (err as Error).name === "DatabaseError";
    const message = known ? (err as Error).message : `start-up failed: ${(err as Error).message}`;
    process.stderr.write(`\nFATAL: ${message}\n\n`);
    if (!known) log.error({ err }, "start-up failed");
    process.exit(1);
  }
}

export async function shutdown(): Promise<void> {
  stopPluginLifecycle();
  await stopPlayTracker();
  stopPluginPlaylistSync();
  stopCatalogRefresher();
  setMetadataAgentSource(null);
  setLyricsSources(null);
  setSonicSimilaritySource(null);
  setHttpEndpointSource(null);
  await stopPluginManager();
  await disconnectDatabase();
}
