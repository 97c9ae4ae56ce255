import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { pluginScrobblerSource } from "../plugins/capabilities/scrobbler";
import { waitFor } from "../testing/background-plugins";
import { assertWellFormedXml, xmlElements } from "../testing/xml-check";
import { startScrobblerTestServer, waitForLines, TEST_TRACKER_OPTIONS, type ScrobblerTestServer } from "../testing/scrobbler-test-server";
import { startPlayTracker, stopPlayTracker } from "./index";
import { getTrackForUserOrThrow } from "./tracks";

// Integration tests of `reportPlayback` and `getNowPlaying`: playback sessions, their
// expiry, the scrobble threshold, and the reports scrobbler plugins receive.

const R = "test-scrobble-recorder";
const LEGACY = "test-nowplaying-scrobbler";
const NOW_PLAYING = "nd_scrobbler_now_playing";
const SCROBBLE = "nd_scrobbler_scrobble";
const REPORT = "nd_scrobbler_playback_report";

let s: ScrobblerTestServer;

beforeAll(async () => {
  s = await startScrobblerTestServer([R, LEGACY]);
  await s.enable(R);
});

afterAll(async () => {
  await stopPlayTracker();
  await s?.close();
});

function watch(exportName: string, plugin = R) {
  const from = s.received(plugin, exportName).length;
  return () => s.received(plugin, exportName).slice(from);
}

/** Reports for one player only (sessions of other tests may expire meanwhile). */
const reportsOf = (lines: () => ReturnType<ScrobblerTestServer["received"]>, playerId: string) => () => lines().filter((r) => r.playerId === playerId);

type Report = { state: string; positionMs?: number; playbackRate?: number; ignoreScrobble?: boolean };

/** Sends one `reportPlayback` for `track` as `player` and expects "ok". */
async function report(player: string, mediaId: string, r: Report, opts: { who?: "admin" | "listener"; client?: string } = {}) {
  const params: Record<string, string> = { mediaId, mediaType: "song", state: r.state, positionMs: String(r.positionMs ?? 0) };
  if (r.playbackRate !== undefined) params.playbackRate = String(r.playbackRate);
  if (r.ignoreScrobble !== undefined) params.ignoreScrobble = String(r.ignoreScrobble);
  const res = await s.call("reportPlayback", params, { player, client: opts.client ?? "TestPlayer", who: opts.who });
  expect(res, JSON.stringify(res)).toMatchObject({ status: "ok" });
}

const thresholdMs = (duration: number) => Math.min(Math.trunc((Math.trunc(Math.fround(duration) * 1000) * 50) / 100), 240_000);

const playCount = async (userId: string, itemId: string) =>
  (await db().annotation.findUnique({ where: { userId_itemType_itemId: { userId, itemType: "track", itemId } } }))?.playCount ?? 0;

const unix = () => Math.floor(Date.now() / 1000);

describe("reportPlayback", () => {
  it("sends starting → playing → paused → stopped in order, with position, rate, player id and name", async () => {
    const reports = reportsOf(watch(REPORT), "tab-seq");
    const nowPlaying = watch(NOW_PLAYING);
    const scrobbles = watch(SCROBBLE);
    const track = s.tracks[0];
    const t0 = unix();
    await report("tab-seq", track.id, { state: "starting" }, { who: "listener" });
    await report("tab-seq", track.id, { state: "playing", positionMs: 500, playbackRate: 1.5 }, { who: "listener" });
    await report("tab-seq", track.id, { state: "paused", positionMs: 900, playbackRate: 1.5 }, { who: "listener" });
    await report("tab-seq", track.id, { state: "stopped", positionMs: 1900, playbackRate: 1.5 }, { who: "listener" });
    const t1 = unix();

    const got = await waitForLines(reports, 4, "four reports");
    expect(got.map((r) => [r.state, r.positionMs, r.playbackRate])).toEqual([
      ["starting", 0, 1],
      ["playing", 500, 1.5],
      ["paused", 900, 1.5],
      ["stopped", 1900, 1.5],
    ]);
    for (const r of got) {
      expect(r).toMatchObject({ username: "listener", playerId: "tab-seq", playerName: "TestPlayer", track: { id: track.id, title: track.title } });
      expect(r.timestamp).toBeGreaterThanOrEqual(t0);
      expect(r.timestamp).toBeLessThanOrEqual(t1);
    }
    // NowPlaying for starting/playing (the queue keeps the latest per player, so maybe only one).
    const np = await waitForLines(nowPlaying, 1, "now playing");
    expect(np.at(-1)).toMatchObject({ username: "listener", position: 0, track: { id: track.id } });
    // 1900 ms is past the threshold of a 2 s track: scrobbled with the stop time.
    const [sc] = await waitForLines(scrobbles, 1, "scrobble");
    expect(sc).toMatchObject({ username: "listener", track: { id: track.id } });
    expect(sc.timestamp).toBeGreaterThanOrEqual(t0);
    expect(sc.timestamp).toBeLessThanOrEqual(t1);
    expect(await playCount(s.listener.id, track.id)).toBe(1);
    expect((await s.call("getNowPlaying")).nowPlaying.entry ?? []).not.toContainEqual(expect.objectContaining({ playerName: "TestPlayer", username: "listener", state: "paused" }));
  });

  it("scrobbles only from min(50 %, 240 s) of the track on", async () => {
    const track = s.tracks[1];
    const threshold = thresholdMs(track.duration);
    expect(threshold).toBe(1000);
    const scrobbles = watch(SCROBBLE);
    const reports = reportsOf(watch(REPORT), "tab-threshold");
    await report("tab-threshold", track.id, { state: "starting" });
    await report("tab-threshold", track.id, { state: "stopped", positionMs: threshold - 1 });
    await waitFor(() => reports().length >= 2, 15_000, "the stopped report");
    await s.tracker().idle();
    expect(scrobbles()).toEqual([]);
    expect(await playCount(s.admin.id, track.id)).toBe(0);

    await report("tab-threshold", track.id, { state: "starting" });
    await report("tab-threshold", track.id, { state: "stopped", positionMs: threshold });
    await waitFor(() => scrobbles().length === 1, 15_000, "the scrobble");
    expect(await playCount(s.admin.id, track.id)).toBe(1);
  });

  it("with ignoreScrobble still sends now playing and reports, but neither scrobbles nor counts", async () => {
    const track = s.tracks[2];
    const scrobbles = watch(SCROBBLE);
    const nowPlaying = watch(NOW_PLAYING);
    const reports = reportsOf(watch(REPORT), "tab-ignore");
    await report("tab-ignore", track.id, { state: "starting", ignoreScrobble: true });
    await report("tab-ignore", track.id, { state: "stopped", positionMs: 2000, ignoreScrobble: true });
    await waitFor(() => reports().length >= 2, 15_000, "two reports");
    await waitFor(() => nowPlaying().some((n) => n.track.id === track.id), 15_000, "now playing");
    await s.tracker().idle();
    expect(scrobbles()).toEqual([]);
    expect(await playCount(s.admin.id, track.id)).toBe(0);
  });

  it("reports `expired` when a session lapses without `stopped`: remaining time + grace, or the paused time", async () => {
    const track = s.tracks[3];
    const reports = reportsOf(watch(REPORT), "tab-expire");
    const started = Date.now();
    await report("tab-expire", track.id, { state: "starting" });
    const got = await waitFor(() => (reports().some((r) => r.state === "expired") ? reports() : null), 15_000, "the expired report");
    const elapsed = Date.now() - started;
    // A 2 s track from position 0: 2 s + the 300 ms test grace (Navidrome: + 5 s).
    expect(elapsed).toBeGreaterThanOrEqual(2000 + TEST_TRACKER_OPTIONS.expiryGraceMs - 50);
    expect(got.map((r) => r.state)).toEqual(["starting", "expired"]);
    expect(got[1]).toMatchObject({ positionMs: 0, playbackRate: 1, playerId: "tab-expire", playerName: "TestPlayer", username: "admin", track: { id: track.id } });
    expect(got[1].timestamp).toBeGreaterThanOrEqual(Math.floor((started + 2000) / 1000));
    expect((await s.call("getNowPlaying")).nowPlaying.entry ?? []).toEqual([]);

    // Paused: expires after the paused time (test: 1.5 s; Navidrome: 30 min), position kept.
    const paused = reportsOf(watch(REPORT), "tab-paused");
    await report("tab-paused", track.id, { state: "paused", positionMs: 700 });
    const p = await waitFor(() => (paused().some((r) => r.state === "expired") ? paused() : null), 15_000, "the paused session's expiry");
    expect(p.map((r) => [r.state, r.positionMs])).toEqual([
      ["paused", 700],
      ["expired", 700],
    ]);
  });

  it("does not expire a stopped session", async () => {
    const track = s.tracks[4];
    const reports = reportsOf(watch(REPORT), "tab-stop");
    await report("tab-stop", track.id, { state: "starting" });
    await report("tab-stop", track.id, { state: "stopped", positionMs: 100 });
    await new Promise((r) => setTimeout(r, 2000 + TEST_TRACKER_OPTIONS.expiryGraceMs + 300));
    expect(reports().map((r) => r.state)).toEqual(["starting", "stopped"]);
  });

  it("ignores a late `starting` for a track already playing and a late `stopped` for another track", async () => {
    const [a, b] = [s.tracks[5], s.tracks[6]];
    const reports = reportsOf(watch(REPORT), "tab-order");
    await report("tab-order", a.id, { state: "playing", positionMs: 400 });
    await report("tab-order", a.id, { state: "starting" });
    await report("tab-order", b.id, { state: "stopped", positionMs: 300 });
    const [entry] = (await s.call("getNowPlaying")).nowPlaying.entry.filter((e: { playerName: string }) => e.playerName === "TestPlayer");
    expect(entry).toMatchObject({ id: a.id, state: "playing" });
    await report("tab-order", a.id, { state: "stopped", positionMs: 500 });
    await waitFor(() => reports().length >= 2, 15_000, "two reports");
    await s.tracker().idle();
    expect(reports().map((r) => [r.state, r.track.id])).toEqual([
      ["playing", a.id],
      ["stopped", a.id],
    ]);
  });

  it("sends reports but neither now playing nor scrobbles from a player whose scrobbling is off", async () => {
    const track = s.tracks[7];
    await report("tab-quiet", track.id, { state: "paused" }, { client: "QuietPlayer" });
    await db().player.updateMany({ where: { client: "QuietPlayer" }, data: { scrobbleEnabled: false } });
    await s.tracker().idle();
    const reports = reportsOf(watch(REPORT), "tab-quiet");
    const nowPlaying = watch(NOW_PLAYING);
    const scrobbles = watch(SCROBBLE);
    await report("tab-quiet", track.id, { state: "starting" }, { client: "QuietPlayer" });
    await report("tab-quiet", track.id, { state: "stopped", positionMs: 2000 }, { client: "QuietPlayer" });
    await waitFor(() => reports().length >= 2, 15_000, "two reports");
    await s.tracker().idle();
    expect(nowPlaying().filter((n) => n.track.id === track.id)).toEqual([]);
    expect(scrobbles()).toEqual([]);
    expect(await playCount(s.admin.id, track.id)).toBe(0);
  });

  it("skips plugins without nd_scrobbler_playback_report, or answering not implemented, silently", async () => {
    await s.enable(LEGACY);
    await s.enable(R, { config: { playback_report: "not_implemented" } });
    try {
      const track = s.tracks[8];
      const legacyNowPlaying = watch(NOW_PLAYING, LEGACY);
      const legacyScrobbles = watch(SCROBBLE, LEGACY);
      const scrobbles = watch(SCROBBLE);
      await report("tab-legacy", track.id, { state: "starting" });
      await report("tab-legacy", track.id, { state: "stopped", positionMs: 2000 });
      await waitFor(() => legacyScrobbles().length && scrobbles().length, 15_000, "both scrobbles");
      await s.tracker().idle();
      expect(legacyNowPlaying().map((n) => n.track.id)).toEqual([track.id]);
      // Neither sentinel is a failure: no call recorded as an error, nothing logged at error level.
      for (const id of [LEGACY, R]) {
        expect(s.manager.activity(id).metrics().find((m) => m.name === REPORT)?.errors ?? 0).toBe(0);
        expect(s.manager.activity(id).recentLines().filter((l) => l.level === "error")).toEqual([]);
      }
    } finally {
      await s.manager.disable(LEGACY);
      await s.enable(R);
    }
  });

  it("looks the track up once per session, not once per report", async () => {
    await stopPlayTracker();
    let lookups = 0;
    startPlayTracker({
      scrobblers: pluginScrobblerSource(s.manager),
      ...TEST_TRACKER_OPTIONS,
      findTrack: (user, id) => {
        lookups += 1;
        return getTrackForUserOrThrow(user, id);
      },
    });
    try {
      const track = s.tracks[9];
      for (const state of ["starting", "playing", "paused", "playing", "stopped"]) await report("tab-lookups", track.id, { state, positionMs: 1500 });
      expect(lookups).toBe(1);
    } finally {
      await s.restartTracker();
    }
  });

  it("refuses invalid reports with the Subsonic error", async () => {
    const id = s.tracks[0].id;
    const call = (params: Record<string, string>) => s.call("reportPlayback", params);
    expect((await call({ mediaType: "song", positionMs: "0", state: "playing" })).error.code).toBe(10);
    expect((await call({ mediaId: id, positionMs: "0", state: "playing" })).error.code).toBe(10);
    expect((await call({ mediaId: id, mediaType: "song", state: "playing" })).error.code).toBe(10);
    expect((await call({ mediaId: id, mediaType: "song", positionMs: "0" })).error.code).toBe(10);
    expect((await call({ mediaId: id, mediaType: "song", positionMs: "0", state: "rewinding" })).error).toEqual({ code: 0, message: "Invalid state: rewinding" });
    expect((await call({ mediaId: id, mediaType: "song", positionMs: "-1", state: "playing" })).error).toEqual({ code: 0, message: "positionMs must be non-negative" });
    for (const rate of ["0", "-1", "NaN", "Inf"])
      expect((await call({ mediaId: id, mediaType: "song", positionMs: "0", state: "playing", playbackRate: rate })).error).toEqual({ code: 0, message: "playbackRate must be a finite positive number" });
    expect((await call({ mediaId: "missing", mediaType: "song", positionMs: "0", state: "playing" })).error.code).toBe(70);
  });

  it("is advertised as the OpenSubsonic playbackReport extension", async () => {
    const { openSubsonicExtensions } = await s.call("getOpenSubsonicExtensions");
    expect(openSubsonicExtensions).toContainEqual({ name: "playbackReport", versions: [1] });
  });
});

describe("getNowPlaying", () => {
  it("lists every session, newest first, with user, player, state and an estimated position", async () => {
    const [a, b] = [s.tracks[0], s.tracks[1]];
    await report("np-a", a.id, { state: "paused", positionMs: 300 }, { who: "listener", client: "Phone" });
    await new Promise((r) => setTimeout(r, 20));
    await report("np-b", b.id, { state: "playing", positionMs: 200, playbackRate: 2 }, { client: "Desktop" });
    await new Promise((r) => setTimeout(r, 250));
    try {
      const { nowPlaying } = await s.call("getNowPlaying", {}, { who: "listener" });
      const entries = nowPlaying.entry.filter((e: { playerName: string }) => ["Phone", "Desktop"].includes(e.playerName));
      expect(entries.map((e: { id: string }) => e.id)).toEqual([b.id, a.id]);
      expect(entries[0]).toMatchObject({ title: b.title, username: "admin", playerName: "Desktop", state: "playing", playbackRate: 2, minutesAgo: 0 });
      // 200 ms + ~250 ms × 2, capped at the track's end.
      expect(entries[0].positionMs).toBeGreaterThanOrEqual(700);
      expect(entries[0].positionMs).toBeLessThanOrEqual(2000);
      expect(entries[1]).toMatchObject({ title: a.title, username: "listener", playerName: "Phone", state: "paused", positionMs: 300, playbackRate: 1 });
      for (const e of entries) expect(Number.isInteger(e.playerId)).toBe(true);
      // The same list in XML, the format clients get when they do not ask for JSON.
      const xml = await (await fetch(`${s.url}/rest/getNowPlaying?${new URLSearchParams({ u: "admin", p: "admin-pass", v: "1.16.1", c: "test-client" })}`)).text();
      expect(assertWellFormedXml(xml)).toBe("subsonic-response");
      expect(xmlElements(xml, "entry").find((e) => e.playerName === "Desktop")).toMatchObject({ id: b.id, username: "admin", state: "playing", playbackRate: "2", minutesAgo: "0" });
    } finally {
      await report("np-a", a.id, { state: "stopped", positionMs: 300 }, { who: "listener", client: "Phone" });
      await report("np-b", b.id, { state: "stopped", positionMs: 300 }, { client: "Desktop" });
    }
  });
});
