import { copyFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { waitFor } from "../testing/background-plugins";
import { startScrobblerTestServer, waitForLines, type ScrobblerTestServer } from "../testing/scrobbler-test-server";
import { countBufferedScrobbles } from "../db/scrobble-buffer";
import { stopPlayTracker } from "./index";

// Integration tests of `scrobble` (legacy now playing and submissions) and the persistent
// scrobble buffer, through a real HTTP server and real scrobbler plugins.

const R = "test-scrobble-recorder";
const NOW_PLAYING = "nd_scrobbler_now_playing";
const SCROBBLE = "nd_scrobbler_scrobble";
const REPORT = "nd_scrobbler_playback_report";

let s: ScrobblerTestServer;

beforeAll(async () => {
  s = await startScrobblerTestServer([R, "test-scrobbler"]);
});

afterAll(async () => {
  await stopPlayTracker();
  await s?.close();
});

/** Lines the recorder logs for `exportName` from now on. */
function watch(exportName: string, plugin = R) {
  const from = s.received(plugin, exportName).length;
  return () => s.received(plugin, exportName).slice(from);
}

const errorsOf = (plugin: string, exportName: string) => s.manager.activity(plugin).metrics().find((m) => m.name === exportName)?.errors ?? 0;

const playCount = async (userId: string, itemType: string, itemId: string) =>
  (await db().annotation.findUnique({ where: { userId_itemType_itemId: { userId, itemType, itemId } } }))?.playCount ?? 0;

describe("scrobble?submission=false", () => {
  it("sends now playing, with the track and position, to an authorised scrobbler", async () => {
    await s.enable(R);
    const nowPlaying = watch(NOW_PLAYING);
    const reports = watch(REPORT);
    const track = s.tracks[0];
    const res = await s.call("scrobble", { id: track.id, submission: "false", position: "1" }, { who: "listener", client: "legacy-app" });
    expect(res.status).toBe("ok");

    const [np] = await waitForLines(nowPlaying, 1, "now playing");
    expect(np).toMatchObject({
      username: "listener",
      position: 1,
      track: { id: track.id, title: track.title, album: track.album, artist: track.artist, albumArtist: track.albumArtist, trackNumber: track.trackNumber, discNumber: 1, mbzRecordingId: track.mbzRecordingId },
    });
    expect(np.track.duration).toBeCloseTo(track.duration, 3);
    expect(np.track.artists).toEqual([{ id: track.artistId, name: track.artist, mbid: track.mbzArtistId }]);
    expect(np.track).not.toHaveProperty("path");
    // Handled as reportPlayback state=playing: a playback report goes out too.
    const [report] = await waitForLines(reports, 1, "playback report");
    expect(report).toMatchObject({ username: "listener", state: "playing", positionMs: 1000, playbackRate: 1, playerName: "legacy-app" });
    // Nothing was scrobbled or counted.
    expect(await playCount(s.listener.id, "track", track.id)).toBe(0);
  });

  it("answers ok even for an unknown track", async () => {
    expect((await s.call("scrobble", { id: "no-such-track", submission: "false" })).status).toBe("ok");
  });
});

describe("scrobble?submission=true", () => {
  it("counts the play and scrobbles it with the `time` given, in Unix seconds", async () => {
    await s.enable(R);
    const scrobbles = watch(SCROBBLE);
    const track = s.tracks[1];
    const time = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
    expect((await s.call("scrobble", { id: track.id, time: String(time) }, { who: "listener" })).status).toBe("ok");

    const [sent] = await waitForLines(scrobbles, 1, "scrobble");
    expect(sent).toMatchObject({ username: "listener", timestamp: Math.floor(time / 1000), track: { id: track.id, title: track.title } });
    const ann = await db().annotation.findUnique({ where: { userId_itemType_itemId: { userId: s.listener.id, itemType: "track", itemId: track.id } } });
    expect(ann).toMatchObject({ playCount: 1, playDate: new Date(time) });
    expect(await playCount(s.listener.id, "album", track.albumId)).toBe(1);
    expect(await playCount(s.listener.id, "artist", track.artistId)).toBe(1);
    await waitFor(async () => (await countBufferedScrobbles(R)) === 0, 15_000, "empty buffer");
  });

  it("without `time` scrobbles with the current time; several ids go in order", async () => {
    await s.enable(R);
    const scrobbles = watch(SCROBBLE);
    const [a, b] = [s.tracks[2], s.tracks[3]];
    const before = Math.floor(Date.now() / 1000);
    expect((await s.call("scrobble", { id: [a.id, b.id] })).status).toBe("ok");
    const sent = await waitForLines(scrobbles, 2, "two scrobbles");
    expect(sent.map((x) => x.track.id)).toEqual([a.id, b.id]);
    for (const x of sent) {
      expect(x.username).toBe("admin");
      expect(x.timestamp).toBeGreaterThanOrEqual(before);
      expect(x.timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    }
  });

  it("refuses a request without ids or with a different number of times", async () => {
    expect((await s.call("scrobble", {})).error).toMatchObject({ code: 10 });
    const res = await s.call("scrobble", { id: [s.tracks[0].id, s.tracks[1].id], time: "1700000000000" });
    expect(res.error).toEqual({ code: 0, message: "Wrong number of timestamps: 1, should be 2" });
  });

  it("sends nothing for users the plugin is not assigned to", async () => {
    await s.enable(R, { users: [s.admin.id] });
    const scrobbles = watch(SCROBBLE);
    const nowPlaying = watch(NOW_PLAYING);
    const track = s.tracks[4];
    await s.call("scrobble", { id: track.id, submission: "false" }, { who: "listener", player: "scope-listener" });
    await s.call("scrobble", { id: track.id }, { who: "listener" });
    await s.tracker().idle();
    expect(nowPlaying()).toEqual([]);
    expect(scrobbles()).toEqual([]);
    expect(await countBufferedScrobbles(R)).toBe(0);
    // The play still counts on the server.
    expect(await playCount(s.listener.id, "track", track.id)).toBe(1);

    await s.call("scrobble", { id: track.id });
    const [sent] = await waitForLines(scrobbles, 1, "admin's scrobble");
    expect(sent.username).toBe("admin");
  });

  it("skips a scrobbler whose nd_scrobbler_is_authorized answers false", async () => {
    await s.enable(R, { config: { authorized: "false" } });
    const scrobbles = watch(SCROBBLE);
    const nowPlaying = watch(NOW_PLAYING);
    await s.call("scrobble", { id: s.tracks[5].id, submission: "false" }, { player: "unauthorised" });
    await s.call("scrobble", { id: s.tracks[5].id });
    await s.tracker().idle();
    expect(nowPlaying()).toEqual([]);
    expect(scrobbles()).toEqual([]);
    expect(await countBufferedScrobbles(R)).toBe(0);
  });

  it("never sends tracks whose artist is unknown, but counts them", async () => {
    await s.enable(R);
    const track = s.tracks[6];
    await db().mediaFile.update({ where: { id: track.id }, data: { artist: "[Unknown Artist]" } });
    try {
      const scrobbles = watch(SCROBBLE);
      const nowPlaying = watch(NOW_PLAYING);
      await s.call("scrobble", { id: track.id, submission: "false" }, { player: "unknown-artist" });
      await s.call("scrobble", { id: track.id });
      await s.tracker().idle();
      expect(nowPlaying()).toEqual([]);
      expect(scrobbles()).toEqual([]);
      expect(await playCount(s.admin.id, "track", track.id)).toBe(1);
    } finally {
      await db().mediaFile.update({ where: { id: track.id }, data: { artist: track.artist } });
    }
  });

  it("sends nothing from a player whose scrobbling is turned off", async () => {
    await s.enable(R);
    // The first call registers the player; then the admin turns its scrobbling off.
    await s.call("scrobble", { id: s.tracks[0].id, submission: "false" }, { client: "quiet-player" });
    await db().player.updateMany({ where: { client: "quiet-player" }, data: { scrobbleEnabled: false } });
    await s.tracker().idle();
    const scrobbles = watch(SCROBBLE);
    const nowPlaying = watch(NOW_PLAYING);
    await s.call("scrobble", { id: s.tracks[7].id, submission: "false" }, { client: "quiet-player", player: "quiet" });
    await s.call("scrobble", { id: s.tracks[7].id }, { client: "quiet-player" });
    await s.tracker().idle();
    expect(nowPlaying()).toEqual([]);
    expect(scrobbles()).toEqual([]);
    expect(await playCount(s.admin.id, "track", s.tracks[7].id)).toBe(1);
  });
});

describe("scrobble buffer", () => {
  it("keeps a scrobble the service answers retry_later for, retries it, and delivers it once the service is back", async () => {
    await s.enable(R, { config: { fail_scrobble: "scrobbler(retry_later): service down" } });
    const scrobbles = watch(SCROBBLE);
    const errorsBefore = errorsOf(R, SCROBBLE);
    const time = Date.UTC(2024, 5, 1, 12, 0, 0);
    await s.call("scrobble", { id: s.tracks[8].id, time: String(time) });
    // Retried with back-off (100 ms, 200 ms, …): at least two failed attempts, still buffered.
    await waitFor(() => errorsOf(R, SCROBBLE) >= errorsBefore + 2, 15_000, "a retry");
    expect(await countBufferedScrobbles(R)).toBe(1);
    expect(scrobbles()).toEqual([]);

    await s.manager.saveSettings(R, { config: "" });
    const [sent] = await waitForLines(scrobbles, 1, "the retried scrobble");
    expect(sent).toMatchObject({ username: "admin", timestamp: time / 1000, track: { id: s.tracks[8].id } });
    await waitFor(async () => (await countBufferedScrobbles(R)) === 0, 15_000, "empty buffer");
  });

  it.each([
    ["not_authorized", "scrobbler(not_authorized): token revoked"],
    ["unrecoverable", "scrobbler(unrecoverable): bad request"],
    ["no token (unrecoverable)", "something else went wrong"],
  ])("discards a scrobble the service rejects as %s, after one attempt", async (_kind, message) => {
    await s.enable(R, { config: { fail_scrobble: message } });
    const errorsBefore = errorsOf(R, SCROBBLE);
    await s.call("scrobble", { id: s.tracks[9].id });
    await waitFor(() => errorsOf(R, SCROBBLE) === errorsBefore + 1, 15_000, "the failed attempt");
    await waitFor(async () => (await countBufferedScrobbles(R)) === 0, 15_000, "the entry discarded");
    await s.tracker().idle();
    expect(errorsOf(R, SCROBBLE)).toBe(errorsBefore + 1);
    expect(s.manager.activity(R).metrics().find((m) => m.name === SCROBBLE)?.lastError).toBe(`plugin call failed: ${message}`);
  });

  it("maps test-scrobbler's error types the same way", async () => {
    await s.manager.disable(R);
    try {
      await s.enable("test-scrobbler", { config: { error: "offline", error_type: "retry_later" } });
      await s.call("scrobble", { id: s.tracks[0].id, time: "1710000000000" });
      await waitFor(() => errorsOf("test-scrobbler", SCROBBLE) >= 2, 15_000, "a retry");
      expect(await countBufferedScrobbles("test-scrobbler")).toBe(1);
      await s.manager.saveSettings("test-scrobbler", { config: JSON.stringify({ error: "gone", error_type: "not_authorized" }) });
      await waitFor(async () => (await countBufferedScrobbles("test-scrobbler")) === 0, 15_000, "the entry discarded");
    } finally {
      await s.manager.disable("test-scrobbler");
    }
  });

  it("survives a restart: buffered scrobbles are sent by the next tracker, with the user's name", async () => {
    await s.enable(R, { config: { fail_scrobble: "scrobbler(retry_later): service down" } });
    const scrobbles = watch(SCROBBLE);
    const errorsBefore = errorsOf(R, SCROBBLE);
    const time = Date.UTC(2024, 6, 1, 8, 30, 0);
    await s.call("scrobble", { id: s.tracks[1].id, time: String(time) }, { who: "listener" });
    await waitFor(() => errorsOf(R, SCROBBLE) > errorsBefore, 15_000, "the failed attempt");

    await stopPlayTracker();
    await s.manager.saveSettings(R, { config: "" });
    expect(await countBufferedScrobbles(R)).toBe(1);
    await s.restartTracker();
    const [sent] = await waitForLines(scrobbles, 1, "the buffered scrobble");
    expect(sent).toMatchObject({ username: "listener", timestamp: time / 1000, track: { id: s.tracks[1].id } });
    await waitFor(async () => (await countBufferedScrobbles(R)) === 0, 15_000, "empty buffer");
  });

  it("discards the buffered scrobbles of a plugin whose file is removed", async () => {
    const file = path.join(s.pluginsFolder, "gone-recorder.ndp");
    copyFileSync(path.join(s.pluginsFolder, `${R}.ndp`), file);
    await s.manager.sync();
    await s.enable("gone-recorder", { config: { fail_scrobble: "scrobbler(retry_later): down" } });
    await s.call("scrobble", { id: s.tracks[2].id });
    await waitFor(async () => (await countBufferedScrobbles("gone-recorder")) === 1, 15_000, "a buffered scrobble");

    // Disabling keeps them…
    await s.manager.disable("gone-recorder");
    expect(await countBufferedScrobbles("gone-recorder")).toBe(1);
    // …removing the plugin drops them.
    rmSync(file);
    const report = await s.manager.sync();
    expect(report.removed).toEqual(["gone-recorder"]);
    expect(await countBufferedScrobbles("gone-recorder")).toBe(0);
  });
});

describe("admin visibility", () => {
  it("says how many users a scrobbler plugin receives scrobbles for", async () => {
    const { capabilityUsage } = await import("../plugin-admin/usage");
    await s.restartTracker();
    await s.enable(R);
    expect(capabilityUsage(R)).toEqual(["Scrobbler for all users, receiving scrobbles for 0 users"]);
    const scrobbles = watch(SCROBBLE);
    await s.call("scrobble", { id: s.tracks[3].id });
    await s.call("scrobble", { id: s.tracks[3].id }, { who: "listener" });
    await waitFor(() => scrobbles().length >= 2, 15_000, "two scrobbles");
    expect(capabilityUsage(R)).toEqual(["Scrobbler for all users, receiving scrobbles for 2 users"]);
    await s.enable(R, { users: [s.admin.id] });
    expect(capabilityUsage(R)).toEqual(["Scrobbler for 1 selected user, receiving scrobbles for 2 users"]);
  });
});
