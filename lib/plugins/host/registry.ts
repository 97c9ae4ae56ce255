import "server-only";
import type { PluginRecord } from "../../db/plugins";
import type { HostFunction } from "../engine";
import type { Manifest } from "../manifest/types";
import { createConfigHostFunctions } from "./config";

/** What a host service factory receives about the plugin it serves. */
export interface HostServiceContext {
  pluginId: string;
  manifest: Manifest;
  record: PluginRecord;
  /** The Extism config map (contract §2.9). */
  config: Record<string, string>;
  dataFolder: string;
}

export interface HostService {
  functions: Record<string, HostFunction>;
  /** Tears down per-plugin state on unload (schedules, sockets, caches…). */
  close?: () => Promise<void>;
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
const services: ServiceRow[] = [{ name: "config", granted: () => true, create: (ctx) => ({ functions: createConfigHostFunctions(ctx.config) }) }];

export async function createHostFunctions(ctx: HostServiceContext): Promise<{ functions: Record<string, HostFunction>; close: () => Promise<void> }> {
  const functions: Record<string, HostFunction> = {};
  const closers: (() => Promise<void>)[] = [];
  try {
    for (const row of services) {
      if (!row.granted(ctx.manifest)) continue;
      const service = await row.create(ctx);
      Object.assign(functions, service.functions);
      if (service.close) closers.push(service.close);
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
  };
}
