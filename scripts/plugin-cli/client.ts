import type { PluginRecord } from "@/lib/db/plugins";
import type { PluginResource } from "@/lib/plugin-admin/resource";
import type { CatalogPluginView, HistoryEntry, RepositoryView, UpdateResult, UpdateView } from "@/lib/plugin-catalog/types";
import type { InstallResult } from "@/lib/plugin-lifecycle/install";

/**
 * What the CLI needs from a Tessitura server, answered either by a running server over
 * its REST API (remote-client.ts) or by the same library code on the database and
 * plugins folder when no server runs (local-client.ts). Both speak the `/api/plugin`
 * resource shape (contract §6.1) and fail with the server's own messages.
 */
export interface PluginClient {
  /** Where the answers come from, for the user: the server URL or the database file. */
  readonly target: string;
  readonly mode: "server" | "offline";
  listPlugins(): Promise<PluginResource[]>;
  getPlugin(id: string): Promise<PluginResource>;
  /** `PUT /api/plugin/{id}` (contract §6.2). */
  updatePlugin(id: string, body: UpdateBody): Promise<PluginResource>;
  /** Folder sync (contract §5.4). */
  rescan(): Promise<RescanReport>;
  listUsers(): Promise<UserRef[]>;
  /** Plugin catalogs and lifecycle (issue #15): the `/api/plugin-repository`, `/api/plugin-catalog` and `/api/plugin/{id}/…` routes. */
  lifecycle: LifecycleClient;
  close(): Promise<void>;
}

/** Repositories, catalog, install, update, history and rollback: the same operations the admin pages use. */
export interface LifecycleClient {
  listRepositories(): Promise<RepositoryView[]>;
  addRepository(url: string): Promise<RepositoryView>;
  removeRepository(id: number): Promise<void>;
  refreshRepositories(id?: number): Promise<RepositoryView[]>;
  searchCatalog(filter: { q?: string; capability?: string }): Promise<CatalogPluginView[]>;
  install(body: { pluginId: string; version?: string }): Promise<InstallResult>;
  updateView(id: string): Promise<UpdateView>;
  update(id: string, version?: string): Promise<UpdateResult>;
  approveUpdate(id: string): Promise<UpdateResult>;
  discardUpdate(id: string): Promise<void>;
  history(id: string): Promise<HistoryEntry[]>;
  rollback(id: string, target: { sha256: string } | { version: string }): Promise<HistoryEntry>;
}

/** The body of `PUT /api/plugin/{id}`: JSON-in-string for the three JSON columns. */
export interface UpdateBody {
  enabled?: boolean;
  config?: string;
  users?: string;
  allUsers?: boolean;
  libraries?: string;
  allLibraries?: boolean;
  allowWriteAccess?: boolean;
}

export interface RescanReport {
  added: string[];
  changed: string[];
  removed: string[];
  /** Packages left out of the table, with why. Null when the server does not say (REST rescan answers an empty body). */
  invalid: { file: string; error: string }[] | null;
}

export interface UserRef {
  id: string;
  userName: string;
}

/** A failure to show the user as `error: <message>`; `exitCode` 2 means the command line was wrong. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * Reads an answer of the plugin API. Our errors are `{"error"}` bodies; a Navidrome server
 * answers plain text (`Invalid JSON in config field`) or `{"message"}` (config validation,
 * failed enable). All become a CliError with that message.
 */
export async function readApiResponse<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (res.ok) return (text ? JSON.parse(text) : undefined) as T;
  let message = text.trim();
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (typeof body.error === "string") message = body.error;
    else if (typeof body.message === "string") message = body.message;
  } catch {
    // a plain-text error body: shown as it is
  }
  throw new CliError(message || `HTTP ${res.status}`);
}

/** The decoded row behind a resource, so the manager's own rules (gates) apply to it. */
export function recordFromResource(r: PluginResource): PluginRecord {
  return {
    id: r.id,
    path: r.path,
    manifest: r.manifest,
    config: r.config ?? "",
    users: r.users ? (JSON.parse(r.users) as string[]) : [],
    allUsers: r.allUsers ?? false,
    libraries: r.libraries ? (JSON.parse(r.libraries) as number[]) : [],
    allLibraries: r.allLibraries,
    allowWriteAccess: r.allowWriteAccess,
    enabled: r.enabled,
    lastError: r.lastError ?? "",
    sha256: r.sha256,
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
  };
}
