import "server-only";
import { createHash } from "node:crypto";
import * as store from "../db/playlists";
import { log } from "../log";
import { matchSongsIndexed, type SongRef } from "../matcher/matcher";
import { allLibraryIds } from "../db/libraries";
import { systemClock, type Clock, type Timer } from "../server/clock";
import { remember } from "../server/remember";
import { findUserByName } from "../users/users";

/**
 * Playlists that PlaylistProvider plugins keep up to date (addendum A3, Navidrome PR #5148):
 * one syncer per loaded plugin discovers the plugin's playlists, fetches each one, resolves
 * its tracks through the matcher and writes it as an ordinary playlist row marked with the
 * plugin's id. Timers (`refreshInterval`, `retryInterval`, `validUntil`) run on an injected
 * clock so tests drive them instead of sleeping.
 */

/** One playlist a provider offers: its own id and the user who will own it. */
export interface ProvidedPlaylistInfo {
  id: string;
  ownerUsername: string;
}

/** A provider's list of playlists and its schedule, in seconds (0: never). */
export interface AvailablePlaylists {
  playlists: ProvidedPlaylistInfo[];
  refreshInterval: number;
  retryInterval: number;
}

/** A playlist's content; `validUntil` in Unix seconds (0: static). */
export interface ProvidedPlaylist {
  name: string;
  description?: string;
  coverArtUrl?: string;
  tracks: SongRef[];
  validUntil: number;
}

/** The provider says the playlist is currently unavailable: the stored one is left as it is. */
export class PlaylistUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlaylistUnavailableError";
  }
}

/** What the sync needs from a playlist-providing plugin. */
export interface PlaylistProvider {
  readonly pluginId: string;
  /** The users the plugin acts for: an owner outside them is skipped. */
  readonly users: { all: boolean; ids: readonly string[] };
  availablePlaylists(): Promise<AvailablePlaylists>;
  /** Throws `PlaylistUnavailableError` for "not found"; any other error is transient. */
  playlist(id: string): Promise<ProvidedPlaylist>;
}

/** A synced playlist's schedule as the admin page shows it. */
export interface PlaylistSyncState {
  rowId: string;
  pluginPlaylistId: string;
  ownerName: string;
  lastSyncAt: Date | null;
  nextSyncAt: Date | null;
  lastError: string;
}

/** A plugin's sync state: discovery times and one entry per playlist it answered for. */
export interface ProviderSyncState {
  lastDiscoveryAt: Date | null;
  nextDiscoveryAt: Date | null;
  lastError: string;
  playlists: PlaylistSyncState[];
}

/** Navidrome retries a failed discovery after 5 minutes. */
export const DISCOVERY_RETRY_MS = 5 * 60_000;
/** A `validUntil` already in the past re-syncs after 1 s. */
export const EXPIRED_RESYNC_MS = 1000;
const ZWSP = "\u200b";
const GO_BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Navidrome's `id.NewHash`: MD5 over each part followed by U+200B, base62 (Go digit order), zero-padded to 22. */
export function hashId(...parts: string[]): string {
  const md5 = createHash("md5");
  for (const p of parts) md5.update(p + ZWSP, "utf8");
  let n = BigInt("0x" + md5.digest("hex"));
  let s = "";
  while (n > 0n) {
    s = GO_BASE62[Number(n % 62n)] + s;
    n /= 62n;
  }
  return s.padStart(22, "0");
}

/** The row id of a plugin playlist: one row per (plugin, plugin playlist, owner), updated in place. */
export const pluginPlaylistRowId = (pluginId: string, playlistId: string, ownerId: string) => hashId(pluginId, playlistId, ownerId);

interface Entry {
  state: PlaylistSyncState;
  info: ProvidedPlaylistInfo;
  ownerId: string;
  timer: Timer | null;
}

/** One plugin's syncer: its calls run one at a time, in the order they were asked for. */
class ProviderSyncer {
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  private retryIntervalS = 0;
  private discoveryTimer: Timer | null = null;
  private readonly entries = new Map<string, Entry>();
  readonly state: ProviderSyncState = { lastDiscoveryAt: null, nextDiscoveryAt: null, lastError: "", playlists: [] };

  constructor(
    private readonly provider: PlaylistProvider,
    private readonly clock: Clock,
  ) {}

  private get pluginId() {
    return this.provider.pluginId;
  }

  /** Queues a job; failures are logged, never thrown (a timer has nobody to throw to). */
  enqueue(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(async () => {
      if (this.stopped) return;
      try {
        await job();
      } catch (err) {
        log.error({ plugin: this.pluginId, err: (err as Error).message }, "Playlist sync failed");
      }
    });
    return this.queue;
  }

  /** Settles when every job queued so far has run. */
  idle(): Promise<void> {
    return this.queue;
  }

  stop(): void {
    this.stopped = true;
    this.discoveryTimer?.cancel();
    for (const e of this.entries.values()) e.timer?.cancel();
  }

  private scheduleDiscovery(ms: number | null): void {
    this.discoveryTimer?.cancel();
    this.discoveryTimer = null;
    this.state.nextDiscoveryAt = null;
    if (ms === null || this.stopped) return;
    this.state.nextDiscoveryAt = new Date(this.clock.now().getTime() + ms);
    this.discoveryTimer = this.clock.setTimer(() => void this.enqueue(() => this.discover()), ms);
  }

  private scheduleSync(entry: Entry, ms: number | null): void {
    entry.timer?.cancel();
    entry.timer = null;
    entry.state.nextSyncAt = null;
    if (ms === null || this.stopped) return;
    entry.state.nextSyncAt = new Date(this.clock.now().getTime() + ms);
    entry.timer = this.clock.setTimer(() => void this.enqueue(() => this.syncOne(entry)), ms);
  }

  /** Discovery (A3.3): list the playlists, sync each one whose owner is known and in scope, then reschedule. */
  async discover(): Promise<void> {
    let available: AvailablePlaylists;
    try {
      available = await this.provider.availablePlaylists();
    } catch (err) {
      const message = (err as Error).message;
      log.warn({ plugin: this.pluginId, err: message }, "Playlist discovery failed");
      this.state.lastError = message;
      this.scheduleDiscovery(DISCOVERY_RETRY_MS);
      return;
    }
    this.state.lastDiscoveryAt = this.clock.now();
    this.state.lastError = "";
    this.retryIntervalS = available.retryInterval;
    for (const info of available.playlists ?? []) {
      if (this.stopped) return;
      const owner = await findUserByName(info.ownerUsername);
      if (!owner) {
        log.warn({ plugin: this.pluginId, playlist: info.id, owner: info.ownerUsername }, "Plugin playlist owner not found; skipped");
        continue;
      }
      const scope = this.provider.users;
      if (!scope.all && !scope.ids.includes(owner.id)) {
        log.warn({ plugin: this.pluginId, playlist: info.id, owner: info.ownerUsername }, "Plugin playlist owner is outside the plugin's users; skipped");
        continue;
      }
      const rowId = pluginPlaylistRowId(this.pluginId, info.id, owner.id);
      let entry = this.entries.get(rowId);
      if (!entry) {
        entry = { info, ownerId: owner.id, timer: null, state: { rowId, pluginPlaylistId: info.id, ownerName: owner.userName, lastSyncAt: null, nextSyncAt: null, lastError: "" } };
        this.entries.set(rowId, entry);
        this.state.playlists.push(entry.state);
      }
      await this.syncOne(entry);
    }
    this.scheduleDiscovery(available.refreshInterval > 0 ? available.refreshInterval * 1000 : null);
  }

  /** Sync of one playlist (A3.3/A3.4); timer re-syncs reuse the owner resolved at discovery. */
  private async syncOne(entry: Entry): Promise<void> {
    let content: ProvidedPlaylist;
    try {
      content = await this.provider.playlist(entry.info.id);
    } catch (err) {
      const message = (err as Error).message;
      entry.state.lastError = message;
      if (err instanceof PlaylistUnavailableError) {
        log.info({ plugin: this.pluginId, playlist: entry.info.id, err: message }, "Plugin playlist unavailable; kept as it is");
        this.scheduleSync(entry, null);
        return;
      }
      log.warn({ plugin: this.pluginId, playlist: entry.info.id, err: message }, "Plugin playlist sync failed");
      this.scheduleSync(entry, this.retryIntervalS > 0 ? this.retryIntervalS * 1000 : null);
      return;
    }
    const trackIds = await matchTracks(content.tracks ?? []);
    if (this.stopped) return;
    const now = this.clock.now();
    await store.upsertPluginPlaylist({
      id: entry.state.rowId,
      name: content.name,
      comment: content.description ?? "",
      ownerId: entry.ownerId,
      pluginId: this.pluginId,
      pluginPlaylistId: entry.info.id,
      validUntil: content.validUntil > 0 ? new Date(content.validUntil * 1000) : null,
      syncedAt: now,
      trackIds,
    });
    entry.state.lastSyncAt = now;
    entry.state.lastError = "";
    if (content.validUntil > 0) this.scheduleSync(entry, Math.max(content.validUntil * 1000 - now.getTime(), 0) || EXPIRED_RESYNC_MS);
    else this.scheduleSync(entry, null);
  }
}

/**
 * Matches a provider's song references against every library (no user is in context), keeping
 * order and dropping unmatched references and tracks an earlier reference already took.
 */
async function matchTracks(refs: SongRef[]): Promise<string[]> {
  const hits = await matchSongsIndexed(refs, await allLibraryIds());
  const used = new Set<string>();
  const out: string[] = [];
  for (const hit of hits) {
    if (!hit || used.has(hit.id)) continue;
    used.add(hit.id);
    out.push(hit.id);
  }
  return out;
}

/** Runs one syncer per playlist-providing plugin while it is loaded. */
export class PluginPlaylistSync {
  private readonly syncers = new Map<string, ProviderSyncer>();

  constructor(private readonly clock: Clock) {}

  /** Starts (or restarts) a plugin's syncer; discovery runs at once. */
  start(provider: PlaylistProvider): void {
    this.stop(provider.pluginId);
    const syncer = new ProviderSyncer(provider, this.clock);
    this.syncers.set(provider.pluginId, syncer);
    void syncer.enqueue(() => syncer.discover());
  }

  /** Stops a plugin's syncer and its timers; its playlists stay (Navidrome deletes none, A3.4). */
  stop(pluginId: string): void {
    this.syncers.get(pluginId)?.stop();
    this.syncers.delete(pluginId);
  }

  stopAll(): void {
    for (const id of [...this.syncers.keys()]) this.stop(id);
  }

  /** Settles when the plugin's queued work has run (tests wait on this instead of a clock). */
  async idle(pluginId: string): Promise<void> {
    await this.syncers.get(pluginId)?.idle();
  }

  /** The plugin's sync state, or null when no syncer runs for it. */
  state(pluginId: string): ProviderSyncState | null {
    return this.syncers.get(pluginId)?.state ?? null;
  }
}

// On globalThis: boot starts it, the admin pages read its state.
const holder = remember("pluginPlaylistSync", () => ({ sync: null as PluginPlaylistSync | null }));

export type { Clock };

/** Creates the process's plugin-playlist sync (boot; tests restart it with their own clock). */
export function startPluginPlaylistSync(clock: Clock = systemClock): PluginPlaylistSync {
  return (holder.sync ??= new PluginPlaylistSync(clock));
}

/** The running sync; null before boot. */
export function pluginPlaylistSync(): PluginPlaylistSync | null {
  return holder.sync;
}

export function stopPluginPlaylistSync(): void {
  holder.sync?.stopAll();
  holder.sync = null;
}
