/**
 * JSON shapes shared by the plugin catalog, the plugin lifecycle (install/update/rollback) and the admin UI.
 * Written exactly as in the #15 contract; the catalog file format is validated by `catalog.schema.json`.
 */

/** Outcome of checking a catalog version's ed25519 signature against the trusted keys. */
export type SignatureStatus = "trusted" | "unsigned" | "bad-signature" | "untrusted-key";

/** One entry of `plugins[].versions` in a catalog file. */
export interface CatalogVersion {
  version: string;
  /** Package URL, absolute or relative to the catalog URL. */
  url: string;
  /** Lowercase hex sha256 of the .ndp file. */
  sha256: string;
  /** Size of the .ndp file in bytes. */
  size: number;
  releaseNotes?: string;
  /** ISO date. */
  published?: string;
  /** Navidrome release, e.g. "v0.61.0" (addendum A5 table). */
  minApi?: string;
  maxApi?: string;
  /** Permission keys as in manifest.permissions. */
  permissions?: string[];
  /** http/websocket allowed hosts, for display. */
  hosts?: string[];
  libraryWrite?: boolean;
  capabilities?: string[];
  /** base64 ed25519 signature over `"<pluginId>@<version>:<sha256 hex>"`. */
  signature?: { keyId: string; value: string };
}

/** One plugin of a catalog file. */
export interface CatalogPlugin {
  id: string;
  name: string;
  description?: string;
  author?: string;
  homepage?: string;
  versions: CatalogVersion[];
}

/** A catalog file. */
export interface Catalog {
  schemaVersion: 1;
  name: string;
  plugins: CatalogPlugin[];
  publicKeys?: { keyId: string; key: string }[];
}

/** A configured or admin-added catalog repository with its cache state. */
export interface RepositoryView {
  id: number;
  url: string;
  name: string | null;
  source: "config" | "admin";
  lastFetchedAt: string | null;
  lastError: string | null;
  pluginCount: number;
}

/** A catalog version as seen by this server. */
export interface CatalogVersionView extends CatalogVersion {
  compatible: boolean;
  compatibilityNote?: string;
  signatureStatus: SignatureStatus;
}

/** A catalog plugin merged with the installed state. */
export interface CatalogPluginView {
  id: string;
  name: string;
  description?: string;
  author?: string;
  homepage?: string;
  repository: { id: number; url: string; name: string | null };
  /** Newest compatible version. */
  latest: CatalogVersionView | null;
  /** Newest first. */
  versions: CatalogVersionView[];
  installed: { version: string } | null;
  updateAvailable: string | null;
}

/** A version chosen for install/update, with its absolute package URL. */
export interface ResolvedVersion {
  plugin: CatalogPlugin;
  version: CatalogVersionView;
  repository: RepositoryView;
  /** Absolute. */
  packageUrl: string;
}

/** What an update adds or removes compared to the installed version. */
export interface PermissionDiff {
  added: string[];
  removed: string[];
  hostsAdded: string[];
  hostsRemoved: string[];
  libraryWrite: { before: boolean; after: boolean };
  capabilitiesAdded: string[];
  capabilitiesRemoved: string[];
  /** True when anything was added (permissions, hosts, write, capabilities). */
  requiresApproval: boolean;
}

/** The update state of one installed plugin. */
export interface UpdateView {
  pluginId: string;
  currentVersion: string;
  available: (CatalogVersionView & { diff: PermissionDiff }) | null;
  pending: { version: string; sha256: string; diff: PermissionDiff; releaseNotes?: string; stagedAt: string } | null;
}

/** Result of applying (or staging) an update. */
export interface UpdateResult {
  pluginId: string;
  version: string;
  applied: boolean;
  pending: boolean;
}

/** One package kept in a plugin's history. */
export interface HistoryEntry {
  version: string;
  sha256: string;
  installedAt: string;
  source: "upload" | "catalog" | "folder" | "rollback";
  current: boolean;
}
