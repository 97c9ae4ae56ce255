import "server-only";
import type { PluginRecord } from "../../db/plugins";
import type { PluginActivity } from "../activity";
import type { HostFunction } from "../engine";
import type { Manifest } from "../manifest/types";
import { createArtworkService } from "./artwork";
import { createCacheService } from "./cache";
import { createConfigHostFunctions } from "./config";
import { createHttpService } from "./http";
import { createKVStoreService } from "./kvstore";
import { createLibraryService } from "./library";
import { createMatcherService } from "./matcher";
import type { PluginCaller } from "./plugin-caller";
import { createSchedulerService } from "./scheduler";
import { createScrobbleRetrieverService } from "./scrobble-retriever";
import { createStorageService } from "./storage";
import { createSubsonicApiService } from "./subsonicapi";
import { createTaskQueueService } from "./taskqueue";
import { createUsersService } from "./users";
import { createWebSocketService } from "./websocket";

/** What a host service factory receives about the plugin it serves. */
export interface HostServiceContext {
  pluginId: string;
  manifest: Manifest;
  record: PluginRecord;
  /** The Extism config map (contract §2.9). */
  config: Record<string, string>;
  dataFolder: string;
  /** Calls this plugin's exports from host callbacks; fails once the plugin is unloaded. */
  callPlugin: PluginCaller;
  /** The plugin's activity log on its admin page. */
  activity: PluginActivity;
}

export interface HostService {
  functions: Record<string, HostFunction>;
  /** Tears down per-plugin state on unload (schedules, sockets, caches…). */
  close?: () => Promise<void>;
  /** A snapshot of the service's background state for the admin page (schedules, queues…). */
  status?: () => unknown;
}

interface ServiceRow {
  name: string;
  /** Granted when this returns true for the manifest; Config is always granted. */
  granted: (m: Manifest) => boolean;
  create: (ctx: HostServiceContext) => Promise<HostService> | HostService;
}

/**
 * Host services in Navidrome's registration order (contract §4). A service's functions
 * exist only when its permission is granted, so a plugin importing a function it was
 * not granted fails to instantiate. Services not implemented yet are absent from this
 * table, which has the same effect for their imports.
 */
const services: ServiceRow[] = [
  { name: "config", granted: () => true, create: (ctx) => ({ functions: createConfigHostFunctions(ctx.config) }) },
  { name: "subsonicapi", granted: (m) => !!m.permissions?.subsonicapi, create: createSubsonicApiService },
  { name: "scheduler", granted: (m) => !!m.permissions?.scheduler, create: createSchedulerService },
  { name: "websocket", granted: (m) => !!m.permissions?.websocket, create: createWebSocketService },
  { name: "artwork", granted: (m) => !!m.permissions?.artwork, create: createArtworkService },
  { name: "cache", granted: (m) => !!m.permissions?.cache, create: (ctx) => createCacheService(ctx) },
  { name: "library", granted: (m) => !!m.permissions?.library, create: createLibraryService },
  { name: "kvstore", granted: (m) => !!m.permissions?.kvstore, create: createKVStoreService },
  { name: "users", granted: (m) => !!m.permissions?.users, create: createUsersService },
  { name: "http", granted: (m) => !!m.permissions?.http, create: createHttpService },
  { name: "taskqueue", granted: (m) => !!m.permissions?.taskqueue, create: createTaskQueueService },
  // ── later additions: matcher, storage (its /storage WASI mount is set up with the filesystem mounts) ──
  { name: "matcher", granted: (m) => !!m.permissions?.matcher, create: createMatcherService },
  { name: "storage", granted: (m) => !!m.permissions?.storage, create: createStorageService },
  { name: "scrobbleRetriever", granted: (m) => !!m.permissions?.scrobbleRetriever, create: createScrobbleRetrieverService },
];

/**
 * The services this host implements, by name (= their manifest permission key, compared
 * case-insensitively): the load-error classifier tells "manifest lacks permission P" from
 * "this server does not provide it" with it.
 */
export function providedHostServices(): string[] {
  return services.map((s) => s.name);
}

/** The granted services' functions, one closer for all of them, and their admin-page status. */
export interface HostServices {
  functions: Record<string, HostFunction>;
  close: () => Promise<void>;
  /** Status of each service that reports one, keyed by service name. */
  status: () => Record<string, unknown>;
}

export async function createHostFunctions(ctx: HostServiceContext): Promise<HostServices> {
  const functions: Record<string, HostFunction> = {};
  const closers: (() => Promise<void>)[] = [];
  const statuses: Record<string, () => unknown> = {};
  try {
    for (const row of services) {
      if (!row.granted(ctx.manifest)) continue;
      const service = await row.create(ctx);
      Object.assign(functions, service.functions);
      if (service.close) closers.push(service.close);
      if (service.status) statuses[row.name] = service.status;
    }
  } catch (err) {
    await Promise.allSettled(closers.map((c) => c()));
    throw err;
  }
  return {
    functions,
    close: async () => {
      await Promise.allSettled(closers.map((c) => c()));
    },
    status: () => Object.fromEntries(Object.entries(statuses).map(([name, status]) => [name, status()])),
  };
}
