import type { APIRequestContext, Page } from "@playwright/test";
import { ADMIN, apiToken, ensureAdmin, expect, pluginAdmin, signIn, test } from "./fixtures";

// Issue #17's "Done when" for the web player: a listener (not an admin) browses to an album, plays, seeks and
// edits the queue; the browser's playback reports reach a scrobbler plugin; Instant Mix comes from a metadata agent
// plugin; synced lyrics (the demo library's .lrc file) highlight the current line; a reload resumes the queue; a
// transcoded stream plays. The demo tracks are 8 s long, so the spec pauses before every check that needs time.

const LISTENER = { username: "e2e-listener", password: "e2e-Listener-pass" };
const SCROBBLER = "test-scrobbler";
const AGENT = "test-mix-agent";

let token: string;

test.beforeAll(async ({ request }) => {
  await ensureAdmin(request);
  token = await apiToken(request);
  const created = await request.post("/api/user", { headers: { "x-nd-authorization": `Bearer ${token}` }, data: { userName: LISTENER.username, password: LISTENER.password, allLibraries: true } });
  expect([201, 409]).toContain(created.status());
});

/** A plugin's info log lines, oldest first (GET /api/plugin/:id/activity). */
async function pluginLines(request: APIRequestContext, plugin: string): Promise<string[]> {
  const res = await request.get(`/api/plugin/${plugin}/activity`, { headers: { "x-nd-authorization": `Bearer ${token}` } });
  expect(res.status()).toBe(200);
  return ((await res.json()).lines as { level: string; message: string }[]).filter((l) => l.level === "info").map((l) => l.message);
}

/** The playback report states the scrobbler received for `title`, in order. */
async function reportsFor(request: APIRequestContext, title: string): Promise<string[]> {
  // The plugin's log outlives a reinstall: spec 06 leaves the admin's reports of the same track in it.
  return (await pluginLines(request, SCROBBLER))
    .filter((l) => l.startsWith("PlaybackReport: ") && l.includes(` ${title} by `) && l.includes(`(user ${LISTENER.username},`))
    .map((l) => l.split(" ")[1]);
}

const audioTime = (page: Page) => page.evaluate(() => (document.querySelector('audio[data-active="true"]') as HTMLAudioElement).currentTime);
const audioSrc = (page: Page) => page.evaluate(() => (document.querySelector('audio[data-active="true"]') as HTMLAudioElement).src);

/** Waits until the active audio element is at least at `seconds` (it is playing). */
async function playedPast(page: Page, seconds: number) {
  await expect.poll(() => audioTime(page), { timeout: 15_000 }).toBeGreaterThan(seconds);
}

/** Clicks the seek bar at `fraction` of its width (as a listener would). */
async function seekTo(page: Page, fraction: number) {
  const rail = page.getByRole("region", { name: "Player" }).locator(".MuiSlider-root").first();
  const box = (await rail.boundingBox())!;
  await page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
}

async function queueTitles(page: Page): Promise<string[]> {
  return page.getByTestId("queue-item").getByTestId("queue-title").allTextContents();
}

test("a listener plays, seeks, queues, mixes, reads synced lyrics, reports playback and resumes after a reload", async ({ page, request }) => {
  test.setTimeout(180_000); // one long listening session on a loaded machine
  const consoleErrors: string[] = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(e.message));

  const scrobbler = pluginAdmin(request, token, SCROBBLER);
  const agent = pluginAdmin(request, token, AGENT);
  try {
    await scrobbler.install();
    expect((await scrobbler.put({ allUsers: true })).status()).toBe(200);
    expect((await scrobbler.put({ enabled: true })).status()).toBe(200);
    await agent.install();
    const similar = [{ name: "Whistle", artist: "Björk Demo" }, { name: "Reference Tone", artist: "Test Pattern" }, { name: "Low Hum", artist: "Björk Demo" }];
    expect((await agent.put({ config: JSON.stringify({ songs: JSON.stringify(similar) }) })).status()).toBe(200);
    expect((await agent.put({ enabled: true })).status()).toBe(200);

    // Heartbeats every second instead of 30 (the player's test hook), so the spec sees `playing` reports.
    await page.addInitScript(() => localStorage.setItem("tessitura.player.heartbeatMs", "1000"));
    await signIn(page, LISTENER);
    const bar = page.getByRole("region", { name: "Player" });

    // Browse to an album (the start-up scan may still be running on a fresh server).
    await expect(async () => {
      await page.getByRole("link", { name: "Albums", exact: true }).click();
      await expect(page.getByRole("link", { name: "Sine Waves" })).toBeVisible({ timeout: 2000 });
    }).toPass({ timeout: 30_000 });
    await page.getByRole("link", { name: "Sine Waves" }).click();
    await expect(page.getByRole("heading", { name: "Sine Waves" })).toBeVisible();

    // Play: the bar shows the first track and the audio advances.
    await page.getByRole("button", { name: "Play album" }).click();
    await expect(bar.getByTestId("player-title")).toHaveText("A Above Middle C");
    await playedPast(page, 0.3);
    await bar.getByRole("button", { name: "Pause", exact: true }).click();
    await expect(bar.getByRole("button", { name: "Play", exact: true })).toBeVisible();

    // Seek: a click half-way along the bar.
    await seekTo(page, 0.55);
    await expect.poll(() => audioTime(page)).toBeGreaterThan(3.5);
    expect(await audioTime(page)).toBeLessThan(5.5);
    await expect(bar.getByTestId("player-position")).toHaveText(/^0:0[3-5]$/);

    // Queue: another album's songs go next, then one moves up with the keyboard.
    await page.getByRole("navigation", { name: "Library" }).getByRole("link", { name: "Albums" }).click();
    await page.getByRole("link", { name: "Calibration" }).click();
    await expect(page.getByRole("heading", { name: "Calibration" })).toBeVisible();
    await page.getByRole("button", { name: "Play next" }).click();
    await bar.getByRole("button", { name: "Queue" }).click();
    const drawer = page.getByRole("region", { name: "Queue" });
    await expect.poll(() => queueTitles(page)).toEqual(["A Above Middle C", "Reference Tone", "Sweep Marker", "Perfect Fifth", "Octave Down"]);
    await drawer.getByRole("button", { name: "Move Sweep Marker up" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => queueTitles(page)).toEqual(["A Above Middle C", "Sweep Marker", "Reference Tone", "Perfect Fifth", "Octave Down"]);
    await expect(drawer.getByTestId("queue-item").first()).toHaveAttribute("aria-current", "true");
    await drawer.getByRole("button", { name: "Close queue" }).click();

    // Keyboard: space resumes (heartbeats follow), Shift+→ skips to the next track (the first one is reported stopped).
    await seekTo(page, 0.02); // room to play before the 8 s track ends by itself
    await page.locator("h1").click();
    await page.keyboard.press("Space");
    await expect(bar.getByRole("button", { name: "Pause", exact: true })).toBeVisible();
    // A resume `playing`, then at least one heartbeat.
    await expect.poll(async () => (await reportsFor(request, "A Above Middle C")).filter((s) => s === "playing").length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await page.keyboard.press("Shift+ArrowRight");
    await expect(bar.getByTestId("player-title")).toHaveText("Sweep Marker");
    await expect.poll(async () => (await reportsFor(request, "A Above Middle C")).at(-1), { timeout: 15_000 }).toBe("stopped");
    // Heartbeats may also fall between `starting` and the pause on a slow machine: compare without repeats.
    const reports = await reportsFor(request, "A Above Middle C");
    expect(reports.filter((s, i) => !(s === "playing" && ["starting", "playing"].includes(reports[i - 1])))).toEqual(["starting", "paused", "playing", "stopped"]);
    const lines = await pluginLines(request, SCROBBLER);
    expect(lines.find((l) => l.startsWith("PlaybackReport: starting A Above Middle C"))).toContain(`(user ${LISTENER.username},`);
    await expect(bar.getByRole("button", { name: "Pause", exact: true })).toBeVisible();

    // Synced lyrics: the demo's .lrc beside "Perfect Fifth"; the line at the position is highlighted.
    await bar.getByRole("button", { name: "Queue" }).click();
    await drawer.getByRole("button", { name: "Play Perfect Fifth by The Tessitura Ensemble" }).click();
    await drawer.getByRole("button", { name: "Close queue" }).click();
    await expect(bar.getByTestId("player-title")).toHaveText("Perfect Fifth");
    await bar.getByRole("button", { name: "Lyrics" }).click();
    const lyrics = page.getByTestId("lyrics-lines");
    await expect(lyrics).toHaveAttribute("data-synced", "true");
    await expect(lyrics.locator('li[aria-current="true"]')).toHaveCount(1, { timeout: 15_000 });
    await bar.getByRole("button", { name: "Pause", exact: true }).click();
    await seekTo(page, 0.7); // 5.6 s: the line starting at 4.5 s
    await expect(lyrics.locator('li[aria-current="true"]')).toHaveText("The fifth rings true");
    await seekTo(page, 0.15); // 1.2 s
    await expect(lyrics.locator('li[aria-current="true"]')).toHaveText("Two notes apart");
    await page.getByRole("button", { name: "Close lyrics" }).click();

    // Instant Mix from the album page: the agent plugin's similar songs, matched to the library, replace the queue.
    await page.getByRole("navigation", { name: "Library" }).getByRole("link", { name: "Albums" }).click();
    await page.getByRole("link", { name: "Pure Tones" }).click();
    await page.getByRole("button", { name: "Instant Mix" }).click();
    await expect(page.getByTestId("player-message")).toHaveText("Instant Mix: 3 similar songs");
    await expect(bar.getByTestId("player-title")).toHaveText("Whistle");
    expect(await pluginLines(request, AGENT)).toContain("similar album Pure Tones");
    await playedPast(page, 0.2);
    await bar.getByRole("button", { name: "Pause", exact: true }).click();
    await expect(bar.getByRole("button", { name: "Play", exact: true })).toBeVisible();
    const pausedAt = await audioTime(page);
    // The pause saves the queue with its position.
    const listenerAuth = new URLSearchParams({ u: LISTENER.username, p: LISTENER.password, v: "1.16.1", c: "e2e", f: "json" });
    await expect
      .poll(async () => (await (await request.get(`/rest/getPlayQueue?${listenerAuth}`)).json())["subsonic-response"].playQueue?.position ?? -1)
      .toBe(Math.round(pausedAt * 1000));

    // Reload: the queue comes back from getPlayQueue, paused where it was.
    await page.reload();
    await expect(bar.getByTestId("player-title")).toHaveText("Whistle");
    await expect(bar.getByRole("button", { name: "Play", exact: true })).toBeVisible();
    await expect.poll(() => audioTime(page)).toBeCloseTo(pausedAt, 1);
    await bar.getByRole("button", { name: "Queue" }).click();
    await expect.poll(() => queueTitles(page)).toEqual(["Whistle", "Reference Tone", "Low Hum"]);
    await drawer.getByRole("button", { name: "Close queue" }).click();

    expect(consoleErrors).toEqual([]);
  } finally {
    await scrobbler.uninstall();
    await agent.uninstall();
  }
});

test("a transcoded stream plays in the browser's <audio>", async ({ page, request }) => {
  const sub = new URLSearchParams({ u: ADMIN.username, p: ADMIN.password, v: "1.16.1", c: "e2e", f: "json" });
  const ext = (await (await request.get(`/rest/getOpenSubsonicExtensions?${sub}`)).json())["subsonic-response"].openSubsonicExtensions as { name: string }[];
  test.skip(!ext.some((e) => e.name === "transcoding"), "the server does not transcode yet");

  await signIn(page, LISTENER);
  await page.goto("/albums");
  await page.getByRole("link", { name: "Harmonics" }).click();
  await page.getByRole("button", { name: "Play album" }).click();
  const bar = page.getByRole("region", { name: "Player" });
  await expect(bar.getByTestId("player-title")).toHaveText("Second Partial");
  await bar.getByRole("button", { name: "Stream quality" }).click();
  await page.getByRole("combobox", { name: "Format" }).click();
  await page.getByRole("option", { name: "Opus (transcoded)" }).click();
  await page.getByRole("combobox", { name: "Maximum bitrate" }).click();
  await page.getByRole("option", { name: "96 kbps" }).click();
  await page.keyboard.press("Escape");
  await expect.poll(() => audioSrc(page)).toMatch(/format=opus/);
  expect(await audioSrc(page)).toMatch(/maxBitRate=96/);
  if ((await bar.getByRole("button", { name: "Play", exact: true }).count()) > 0) await bar.getByRole("button", { name: "Play", exact: true }).click();
  const start = await audioTime(page);
  await expect.poll(() => audioTime(page), { timeout: 15_000 }).toBeGreaterThan(start + 0.5);
  expect(await page.evaluate(() => (document.querySelector('audio[data-active="true"]') as HTMLAudioElement).error)).toBeNull();

  // Seek later in the transcode. A live transcode has no byte ranges: past what the element holds the player reloads
  // it with timeOffset and shows offset + currentTime. Either way the listener sees the time land and move on.
  await bar.getByRole("button", { name: "Pause", exact: true }).click();
  await expect(bar.getByRole("button", { name: "Play", exact: true })).toBeVisible();
  const seekBar = bar.getByRole("slider", { name: "Seek" });
  const shown = async () => Number(await seekBar.getAttribute("aria-valuenow"));
  await seekTo(page, 0.6); // about 4.8 s of 8
  await expect(bar.getByTestId("player-position")).toHaveText(/^0:0[4-5]$/);
  await expect.poll(shown).toBeGreaterThan(4);
  const landed = await shown();
  expect(landed).toBeLessThan(5.6);
  expect(await bar.getByTestId("player-duration").textContent()).toBe("0:08");
  await bar.getByRole("button", { name: "Play", exact: true }).click();
  await expect.poll(shown, { timeout: 15_000 }).toBeGreaterThan(landed + 0.5);
  await expect(bar.getByTestId("player-position")).toHaveText(/^0:0[5-7]$/);
  test.info().annotations.push({ type: "transcode seek", description: /timeOffset=/.test(await audioSrc(page)) ? "reloaded with timeOffset" : "native (already seekable)" });
  expect(await page.evaluate(() => (document.querySelector('audio[data-active="true"]') as HTMLAudioElement).error)).toBeNull();
});
