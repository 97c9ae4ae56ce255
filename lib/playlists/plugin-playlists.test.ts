import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pluginPlaylistsView } from "../plugin-admin/plugin-playlists";
import { updatePluginSettings } from "../plugin-admin/update-settings";
import { pluginManager, type PluginManager } from "../plugins";
import { pluginLines } from "../testing/background-plugins";
import { startSubsonicTestServer, type SubsonicTestServer } from "../testing/subsonic-test-server";
import { createUser, findUserByName } from "../users/users";
import { hashId, pluginPlaylistSync, startPluginPlaylistSync, stopPluginPlaylistSync, DISCOVERY_RETRY_MS, type Clock, type PluginPlaylistSync } from "./plugin-playlists";

/** A clock whose timers fire only when the test advances it. */
class ManualClock implements Clock {
  private t = Date.now();
  private timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  now = () => new Date(this.t);
  setTimer(fn: () => void, ms: number) {
    const timer = { at: this.t + ms, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }
  /** Moves time on, firing every due timer in time order. */
  advance(ms: number): void {
    const until = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => !x.cancelled && x.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = until;
  }
  pending = () => this.timers.filter((x) => !x.cancelled).length;
}

const P = "test-playlist-provider";
const built = path.join(import.meta.dirname, "../../build/plugins");
let s: SubsonicTestServer;
let manager: PluginManager;
let sync: PluginPlaylistSync;
const clock = new ManualClock();
let demo: { id: string; title: string; artist?: string }[];
let other: { u: string; p: string };
const errorCode = (r: unknown) => (r as { error?: { code: number } }).error?.code;
const discoveries = () => pluginLines(manager, P, "discover").length;
const fetches = (id: string) => pluginLines(manager, P, `get ${id}`).length;

const discovery = (playlists: { id: string; ownerUsername: string }[], refreshInterval = 3600, retryInterval = 60) => JSON.stringify({ playlists, refreshInterval, retryInterval });
const content = (extra: object = {}) =>
  JSON.stringify({
    name: "Recently added",
    description: "From the plugin",
    // demo[1], an unknown song (dropped), demo[0], demo[1] again (dropped: already taken).
    tracks: [
      { name: demo[1].title, artist: demo[1].artist },
      { name: "No Such Song Anywhere", artist: "Nobody" },
      { name: demo[0].title, artist: demo[0].artist },
      { name: demo[1].title, artist: demo[1].artist },
    ],
    validUntil: 0,
    ...extra,
  });

/** Saves the plugin's config (which reloads it, so discovery runs again) and waits for its sync. */
async function configure(config: Record<string, string>) {
  await manager.saveSettings(P, { config: JSON.stringify(config) });
  await sync.idle(P);
}

async function advance(ms: number) {
  clock.advance(ms);
  await sync.idle(P);
}

let rowId = "";
const standard = () => ({
  discovery: discovery([
    { id: "recent", ownerUsername: "LISTENER" },
    { id: "recent", ownerUsername: "admin" },
    { id: "ghost", ownerUsername: "nobody-here" },
  ]),
  playlist_recent: content(),
});

beforeAll(async () => {
  const pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-plugins-"));
  copyFileSync(path.join(built, `${P}.ndp`), path.join(pluginsFolder, `${P}.ndp`));
  s = await startSubsonicTestServer({ env: { ND_PLUGINS_FOLDER: pluginsFolder, ND_PLUGINS_LOGLEVEL: "info" } });
  manager = pluginManager()!;
  // The boot-time sync runs on the real clock; this file drives its own.
  stopPluginPlaylistSync();
  sync = startPluginPlaylistSync(clock);
  demo = (await s.admin.search3({ query: "", artistCount: 0, albumCount: 0, songCount: 500, musicFolderId: s.demoLibraryId })).searchResult3.song!;
  await createUser({ userName: "other", password: "other-pass" });
  other = { u: "other", p: "other-pass" };
  rowId = hashId(P, "recent", s.listenerId);
  // Through the admin path, as the e2e spec and the admin form do (the manifest's schema accepts any string key).
  await updatePluginSettings(manager, P, JSON.stringify({ users: JSON.stringify([s.listenerId]), config: JSON.stringify(standard()) }));
  await manager.enable(P);
  await sync.idle(P);
}, 60_000);
afterAll(() => s?.close());

describe("PlaylistProvider plugin playlists (addendum A3)", () => {
  it("uses Navidrome's id.NewHash for the row id (22 base62 characters, Go digit order)", () => {
    expect(rowId).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(hashId("a")).toBe(hashId("a"));
    expect(hashId("ab", "c")).not.toBe(hashId("a", "bc"));
  });

  it("materialises a discovered playlist for its owner, tracks resolved by the matcher in order", async () => {
    expect(discoveries()).toBe(1);
    const list = (await s.json("getPlaylists", {}, s.creds.listener)).playlists.playlist;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: rowId, name: "Recently added", comment: "From the plugin", owner: "listener", public: false, readonly: true, songCount: 2 });
    expect(list[0].validUntil).toBeUndefined();
    const { playlist } = await s.json("getPlaylist", { id: rowId }, s.creds.listener);
    expect(playlist.entry.map((e: { id: string }) => e.id)).toEqual([demo[1].id, demo[0].id]);
  });

  it("skips owners outside the plugin's users and unknown owners; others do not see the playlist", async () => {
    expect((await s.json("getPlaylists", {}, s.creds.admin)).playlists.playlist ?? []).toEqual([]);
    expect((await s.json("getPlaylists", {}, other)).playlists.playlist ?? []).toEqual([]);
    expect(errorCode(await s.json("getPlaylist", { id: rowId }, other))).toBe(70);
    const admin = (await findUserByName("admin"))!;
    expect(errorCode(await s.json("getPlaylist", { id: hashId(P, "recent", admin.id) }, s.creds.admin))).toBe(70);
    expect(fetches("ghost")).toBe(0);
    expect(fetches("recent")).toBe(1);
  });

  it("refuses changes to tracks, name and comment (code 50) but allows the public flag", async () => {
    const L = s.creds.listener;
    expect(errorCode(await s.json("updatePlaylist", { playlistId: rowId, name: "mine" }, L))).toBe(50);
    expect(errorCode(await s.json("updatePlaylist", { playlistId: rowId, comment: "mine" }, L))).toBe(50);
    expect(errorCode(await s.json("updatePlaylist", { playlistId: rowId, songIdToAdd: demo[2].id }, L))).toBe(50);
    expect(errorCode(await s.json("updatePlaylist", { playlistId: rowId, songIndexToRemove: "0" }, L))).toBe(50);
    expect(errorCode(await s.json("createPlaylist", { playlistId: rowId, songId: demo[2].id }, L))).toBe(50);
    expect(errorCode(await s.json("updatePlaylist", { playlistId: rowId, name: "admin's" }, s.creds.admin))).toBe(50);
    expect((await s.json("updatePlaylist", { playlistId: rowId, public: "true", name: "Recently added" }, L)).status).toBe("ok");
    const { playlist } = await s.json("getPlaylist", { id: rowId }, other);
    // `other` may browse no library, so sees the playlist but none of its tracks.
    expect(playlist).toMatchObject({ name: "Recently added", public: true, owner: "listener" });
  });

  it("re-discovers after refreshInterval, resetting the public flag and re-creating a deleted playlist", async () => {
    const get = async () => (await s.json("getPlaylist", { id: rowId }, s.creds.listener)).playlist;
    await advance(3600_000 - 1);
    expect(discoveries()).toBe(1);
    expect((await get()).public).toBe(true);
    await advance(1);
    expect(discoveries()).toBe(2);
    expect(await get()).toMatchObject({ id: rowId, public: false, songCount: 2 });

    expect((await s.json("deletePlaylist", { id: rowId }, s.creds.listener)).status).toBe("ok");
    expect(errorCode(await s.json("getPlaylist", { id: rowId }, s.creds.listener))).toBe(70);
    await advance(3600_000);
    expect(discoveries()).toBe(3);
    expect(await get()).toMatchObject({ id: rowId, public: false, songCount: 2 });
  });

  it("shows the plugin's playlists with last and next refresh on its admin page", async () => {
    const view = await pluginPlaylistsView(P);
    expect(view.nextDiscoveryAt).toBe(new Date(clock.now().getTime() + 3600_000).toISOString());
    expect(view.playlists).toEqual([
      expect.objectContaining({ id: rowId, pluginPlaylistId: "recent", name: "Recently added", owner: "listener", tracks: 2, lastSyncAt: clock.now().toISOString(), nextSyncAt: null, lastError: "" }),
    ]);
  });

  it("retries a failed playlist after retryInterval and keeps the stored one", async () => {
    const before = fetches("recent");
    await configure({ ...standard(), error_recent: "upstream down" });
    expect(fetches("recent")).toBe(before + 1);
    expect((await pluginPlaylistsView(P)).playlists[0]).toMatchObject({ lastError: expect.stringContaining("upstream down") });
    await advance(59_999);
    expect(fetches("recent")).toBe(before + 1);
    await advance(1);
    expect(fetches("recent")).toBe(before + 2);
    expect((await s.json("getPlaylist", { id: rowId }, s.creds.listener)).playlist.songCount).toBe(2);
  });

  it("treats playlist_provider(not_found) as unavailable: kept, not retried", async () => {
    await configure({ discovery: standard().discovery });
    const before = fetches("recent");
    await advance(120_000);
    expect(fetches("recent")).toBe(before);
    expect((await s.json("getPlaylist", { id: rowId }, s.creds.listener)).playlist.songCount).toBe(2);
  });

  it("fetches the content again when validUntil passes, and reports validUntil", async () => {
    const expiry = Math.floor(clock.now().getTime() / 1000) + 120;
    await configure({ discovery: standard().discovery, playlist_recent: content({ validUntil: expiry, tracks: [{ name: demo[2].title, artist: demo[2].artist }] }) });
    const { playlist } = await s.json("getPlaylist", { id: rowId }, s.creds.listener);
    expect(playlist.validUntil).toBe(new Date(expiry * 1000).toISOString());
    expect(playlist.entry.map((e: { id: string }) => e.id)).toEqual([demo[2].id]);
    const before = fetches("recent");
    await advance(119_000);
    expect(fetches("recent")).toBe(before);
    await advance(1000);
    expect(fetches("recent")).toBe(before + 1);
  });

  it("retries a failed discovery after 5 minutes", async () => {
    await configure({ ...standard(), discovery_error: "no list" });
    const before = discoveries();
    await advance(DISCOVERY_RETRY_MS - 1);
    expect(discoveries()).toBe(before);
    await advance(1);
    expect(discoveries()).toBe(before + 1);
  });

  it("stops every timer when the plugin is disabled; its playlists stay (A3.4 deletes none)", async () => {
    await configure(standard());
    await manager.disable(P);
    expect(pluginPlaylistSync()!.state(P)).toBeNull();
    expect(clock.pending()).toBe(0);
    const before = discoveries();
    await advance(10 * 3600_000);
    expect(discoveries()).toBe(before);
    expect((await s.json("getPlaylist", { id: rowId }, s.creds.listener)).playlist.readonly).toBe(true);
    expect((await pluginPlaylistsView(P)).nextDiscoveryAt).toBeNull();
  });
});
