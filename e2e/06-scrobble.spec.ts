import type { APIRequestContext } from "@playwright/test";
import { ADMIN, apiToken, ensureAdmin, expect, signIn, test, pluginAdmin } from "./fixtures";

// A browser plays a demo track through the Subsonic endpoints and reports its playback
// (OpenSubsonic reportPlayback, as Navidrome's web player does); the test scrobbler
// plugin receives now playing, the playback reports and the scrobble, in order.

const PLUGIN = "test-scrobbler";
const PLAYER = "e2e-tab-1";

let token: string;

test.beforeAll(async ({ request }) => {
  await ensureAdmin(request);
  token = await apiToken(request);
});

function adminApi(request: APIRequestContext) {
  const api = pluginAdmin(request, token, PLUGIN);
  const headers = api.headers;
  return {
    ...api,
    /** The plugin's info log lines, oldest first. */
    lines: async (): Promise<string[]> => {
      const res = await request.get(`/api/plugin/${PLUGIN}/activity`, { headers });
      expect(res.status()).toBe(200);
      return ((await res.json()).lines as { level: string; message: string }[]).filter((l) => l.level === "info").map((l) => l.message);
    },
  };
}

test("a track played in the browser reaches the scrobbler plugin: now playing, playback reports, then the scrobble", async ({ page, request }) => {
  const api = adminApi(request);
  try {
    await api.install();
    expect((await api.put({ allUsers: true })).status()).toBe(200);
    expect((await api.put({ enabled: true })).status()).toBe(200);

    await signIn(page);
    const auth = new URLSearchParams({ u: ADMIN.username, p: ADMIN.password, v: "1.16.1", c: "e2e-player", f: "json" }).toString();
    const played = await page.evaluate(
      async ({ query, player }) => {
        const call = async (method: string, extra: Record<string, string> = {}) =>
          (await (await fetch(`/rest/${method}?${query}&${new URLSearchParams(extra)}`, { headers: { "X-ND-Client-Unique-Id": player } })).json())["subsonic-response"];
        const report = async (mediaId: string, state: string, positionMs: number) => {
          const r = await call("reportPlayback", { mediaId, mediaType: "song", state, positionMs: String(Math.round(positionMs)) });
          if (r.status !== "ok") throw new Error(`reportPlayback ${state}: ${JSON.stringify(r.error)}`);
        };
        // Wait for the start-up scan to have indexed the demo library.
        let songs: { id: string; title: string }[] = [];
        for (let i = 0; i < 60 && songs.length === 0; i++) {
          songs = (await call("getRandomSongs", { size: "1" })).randomSongs?.song ?? [];
          if (!songs.length) await new Promise((r) => setTimeout(r, 500));
        }
        const song = songs[0];
        const audio = document.createElement("audio");
        audio.muted = true; // autoplay policy: muted playback needs no user gesture
        audio.src = `/rest/stream?${query}&id=${song.id}`;
        document.body.appendChild(audio);

        await report(song.id, "starting", 0);
        await audio.play();
        await new Promise<void>((resolve) => {
          const check = () => (audio.currentTime > 0.3 ? resolve() : setTimeout(check, 50));
          check();
        });
        await report(song.id, "playing", audio.currentTime * 1000);
        const nowPlaying = (await call("getNowPlaying")).nowPlaying.entry ?? [];
        // Skip to the last second and let the track end, as a listener would.
        audio.currentTime = audio.duration - 1;
        await new Promise((r) => audio.addEventListener("ended", r, { once: true }));
        const stoppedAt = Math.floor(Date.now() / 1000);
        await report(song.id, "stopped", audio.duration * 1000);
        const afterStop = (await call("getNowPlaying")).nowPlaying.entry ?? [];
        const playCount = (await call("getSong", { id: song.id })).song.playCount;
        return { song, nowPlaying, afterStop, playCount, stoppedAt, duration: audio.duration, error: audio.error?.message ?? null };
      },
      { query: auth, player: PLAYER },
    );

    expect(played.error).toBeNull();
    expect(played.nowPlaying).toContainEqual(expect.objectContaining({ id: played.song.id, username: ADMIN.username, playerName: "e2e-player", state: "playing" }));
    expect(played.afterStop.filter((e: { playerName: string }) => e.playerName === "e2e-player")).toEqual([]);
    expect(played.playCount).toBe(1);

    const title = played.song.title;
    const mine = async () => (await api.lines()).filter((l) => l.includes(` ${title} by `));
    await expect.poll(async () => (await mine()).filter((l) => l.startsWith("Scrobble: ") || l.startsWith("PlaybackReport: stopped")).length, { timeout: 15_000 }).toBe(2);
    const lines = await mine();
    const reports = lines.filter((l) => l.startsWith("PlaybackReport: ")).map((l) => l.split(" ")[1]);
    expect(reports).toEqual(["starting", "playing", "stopped"]);
    for (const l of lines.filter((x) => x.startsWith("PlaybackReport: "))) expect(l).toContain("(user admin, positionMs ");
    expect(lines.find((l) => l.startsWith("PlaybackReport: "))).toContain("player e2e-player)");

    const firstNowPlaying = lines.findIndex((l) => l.startsWith("NowPlaying: "));
    const scrobble = lines.findIndex((l) => l.startsWith("Scrobble: "));
    const starting = lines.findIndex((l) => l.startsWith("PlaybackReport: starting"));
    const stopped = lines.findIndex((l) => l.startsWith("PlaybackReport: stopped"));
    expect(firstNowPlaying).toBeGreaterThanOrEqual(0);
    expect(lines[firstNowPlaying]).toMatch(/^NowPlaying: .* \(user admin, position 0\)$/);
    expect(firstNowPlaying).toBeLessThan(stopped);
    expect(firstNowPlaying).toBeLessThan(scrobble);
    expect(starting).toBeLessThan(scrobble);
    // Scrobbled with the stop time (Unix seconds).
    const timestamp = Number(/timestamp (\d+)\)$/.exec(lines[scrobble])![1]);
    expect(timestamp).toBeGreaterThanOrEqual(played.stoppedAt);
    expect(timestamp).toBeLessThanOrEqual(played.stoppedAt + 5);
  } finally {
    await api.uninstall();
  }
});
