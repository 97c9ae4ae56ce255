import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { runNdp, runNdpJson } from "./cli-process";

// Every example plugin through the author's harness, `ndp run`, as child processes: canned HTTP
// and Subsonic answers, folders as libraries, a local WebSocket server. The packages are the
// ones `npm run build:plugins` makes (vitest's global setup builds them).
const root = path.resolve(import.meta.dirname, "../..");
const built = (name: string) => path.join(root, "build/plugins", `${name}.ndp`);
const fixture = (example: string, file: string) => path.join(root, "plugins/examples", example, "fixtures", file);
const work = mkdtempSync(path.join(tmpdir(), "ndp-examples-"));
const run = (args: string[]) => runNdpJson(["run", ...args], { cwd: work });

describe("wikipedia-bios (MetadataAgent, http + cache)", () => {
  const wiki = ["--http-fixture", fixture("wikipedia-bios", "wikipedia.json")];

  it("answers biography, Wikipedia link and photos from one page summary", async () => {
    const bio = await run([built("wikipedia-bios"), "nd_get_artist_biography", '{"id":"ar1","name":"Björk"}', ...wiki]);
    expect(bio.json.call).toMatchObject({ outcome: "ok", output: { biography: "Björk Guðmundsdóttir is an Icelandic singer." } });
    expect(bio.json.http).toEqual([expect.objectContaining({ method: "GET", url: "https://en.wikipedia.org/api/rest_v1/page/summary/Bj%C3%B6rk", status: 200 })]);

    const url = await run([built("wikipedia-bios"), "nd_get_artist_url", '{"id":"ar1","name":"Björk"}', ...wiki]);
    expect(url.json.call.output).toEqual({ url: "https://en.wikipedia.org/wiki/Bj%C3%B6rk" });

    const images = await run([built("wikipedia-bios"), "nd_get_artist_images", '{"id":"ar1","name":"Björk"}', ...wiki]);
    expect(images.json.call.output).toEqual({ images: [{ url: "https://upload.wikimedia.org/o.jpg", size: 1200 }, { url: "https://upload.wikimedia.org/t.jpg", size: 320 }] });
  });

  it("answers 'no data' when there is no page (after trying the band and musician pages), an error when Wikipedia fails", async () => {
    const none = await run([built("wikipedia-bios"), "nd_get_artist_biography", '{"id":"ar2","name":"Nobody"}', ...wiki]);
    expect(none.json.call).toMatchObject({ outcome: "ok", output: null });
    expect(none.json.http.map((h: { url: string }) => decodeURI(h.url).split("/").pop())).toEqual(["Nobody", "Nobody_(band)", "Nobody_(musician)"]);

    const down = await run([built("wikipedia-bios"), "nd_get_artist_biography", '{"id":"ar3","name":"Down"}', ...wiki]);
    expect(down.json.call).toMatchObject({ outcome: "failed", hostError: "plugin call failed: wikipedia: HTTP 503 for https://en.wikipedia.org/api/rest_v1/page/summary/Down" });
  });

  it("leaves the functions it does not implement to the next agent (-2)", async () => {
    const r = await run([built("wikipedia-bios"), "nd_get_similar_artists", '{"id":"ar1","name":"Björk","limit":5}']);
    expect(r.json.call).toMatchObject({ outcome: "not-implemented", code: -2 });
  });
});

describe("webhook-scrobbler (Scrobbler, http + users)", () => {
  const hooks = ["--http-fixture", fixture("webhook-scrobbler", "webhook.json")];
  const scrobble = `@${fixture("webhook-scrobbler", "scrobble.json")}`;

  it("posts each play as JSON with the user's display name", async () => {
    const r = await run([built("webhook-scrobbler"), "nd_scrobbler_scrobble", scrobble, ...hooks, "--config", "webhookUrl=https://hooks.example.com/plays", "--config", "token=s3cret", "--user", "admin:admin"]);
    expect(r.json.call.outcome).toBe("ok");
    expect(r.json.http).toHaveLength(1);
    expect(JSON.parse(r.json.http[0].body)).toEqual({
      event: "scrobble",
      user: { userName: "admin", name: "admin" },
      track: { id: "t1", title: "Jóga", artist: "Björk", album: "Homogenic", albumArtist: "Björk", duration: 305.5, trackNumber: 3, discNumber: 1, mbzRecordingId: "b8b5c5a1-0000-4000-8000-000000000001" },
      timestamp: 1714650123,
    });
  });

  it("maps webhook failures to the scrobbler error kinds the server acts on", async () => {
    const busy = await run([built("webhook-scrobbler"), "nd_scrobbler_scrobble", scrobble, ...hooks, "--config", "webhookUrl=https://hooks.example.com/busy"]);
    expect(busy.json.call.hostError).toBe("plugin call failed: scrobbler(retry_later): scrobble webhook answered HTTP 503");
    const locked = await run([built("webhook-scrobbler"), "nd_scrobbler_scrobble", scrobble, ...hooks, "--config", "webhookUrl=https://hooks.example.com/locked"]);
    expect(locked.json.call.hostError).toBe("plugin call failed: scrobbler(not_authorized): scrobble webhook answered HTTP 401");
  });

  it("only logs without a webhook, sends only the configured events, and authorizes only its users", async () => {
    const dry = await run([built("webhook-scrobbler"), "nd_scrobbler_scrobble", scrobble]);
    expect(dry.json.logs).toEqual([expect.objectContaining({ level: "info", message: expect.stringMatching(/^dry run \(no webhook configured\): \{"event":"scrobble"/) })]);

    const report = JSON.stringify({ username: "admin", track: { title: "Jóga" }, state: "paused", positionMs: 61000, playbackRate: 1, playerId: "p1", playerName: "web", timestamp: 1714650200 });
    const filtered = await run([built("webhook-scrobbler"), "nd_scrobbler_playback_report", report, ...hooks, "--config", "webhookUrl=https://hooks.example.com/plays", "--config-json", '{"events":["scrobble"]}']);
    expect(filtered.json.call.outcome).toBe("ok");
    expect(filtered.json.http).toEqual([]);

    const stranger = await run([built("webhook-scrobbler"), "nd_scrobbler_is_authorized", '{"username":"mallory"}', "--user", "alice"]);
    expect(stranger.json.call.output).toBe(false);
    const alice = await run([built("webhook-scrobbler"), "nd_scrobbler_is_authorized", '{"username":"Alice"}', "--user", "alice"]);
    expect(alice.json.call.output).toBe(true);
  });
});

describe("lrclib-lyrics (Lyrics, http)", () => {
  const lrclib = ["--http-fixture", fixture("lrclib-lyrics", "lrclib.json")];
  const track = `@${fixture("lrclib-lyrics", "track.json")}`;

  it("prefers synced lyrics, or plain ones when configured", async () => {
    const synced = await run([built("lrclib-lyrics"), "nd_lyrics_get_lyrics", track, ...lrclib]);
    expect(synced.json.call.output).toEqual({ lyrics: [{ text: "[00:12.00] All these accidents\n[00:15.50] That happen" }] });
    const plain = await run([built("lrclib-lyrics"), "nd_lyrics_get_lyrics", track, ...lrclib, "--config-json", '{"preferSynced":false,"language":"eng"}']);
    expect(plain.json.call.output).toEqual({ lyrics: [{ lang: "eng", text: "All these accidents\nThat happen" }] });
  });

  it("answers no lyrics for unknown tracks and instrumentals", async () => {
    const unknown = await run([built("lrclib-lyrics"), "nd_lyrics_get_lyrics", '{"track":{"title":"Nope","artist":"Björk"}}', ...lrclib]);
    expect(unknown.json.call).toMatchObject({ outcome: "ok", output: null });
    const instrumental = await run([built("lrclib-lyrics"), "nd_lyrics_get_lyrics", '{"track":{"title":"Interlude","artist":"Björk"}}', ...lrclib]);
    expect(instrumental.json.call).toMatchObject({ outcome: "ok", output: null });
  });
});

describe("sonic-neighbours (SonicSimilarity, library + users + subsonicapi + matcher)", () => {
  let music: string;
  beforeAll(() => {
    music = path.join(work, "sonic-music");
    mkdirSync(music, { recursive: true });
  });
  const common = () => ["--subsonic-fixture", fixture("sonic-neighbours", "subsonic.json"), "--library", `Music=${music}`];

  it("ranks the library's tracks by artist, genre, year and length", async () => {
    const r = await run([built("sonic-neighbours"), "nd_get_sonic_similar_tracks", '{"song":{"id":"s1","name":"Low Hum","artist":"Björk Demo"},"count":3}', ...common()]);
    expect(r.json.call.outcome).toBe("ok");
    expect(r.json.call.output.matches.map((m: { song: { id: string }; similarity: number }) => [m.song.id, m.similarity])).toEqual([
      ["s2", 0.896],
      ["s3", 0.518],
      ["s4", 0.175],
    ]);
  });

  it("walks a path from the start track to the end track", async () => {
    const r = await run([built("sonic-neighbours"), "nd_find_sonic_path", '{"startSong":{"id":"s1","name":"Low Hum"},"endSong":{"id":"s4","name":"Octave Down"},"count":4}', ...common()]);
    expect(r.json.call.output.matches.map((m: { song: { id: string } }) => m.song.id)).toEqual(["s1", "s2", "s3", "s4"]);
  });

  it("fails clearly when the library cannot be read", async () => {
    const r = await run([built("sonic-neighbours"), "nd_get_sonic_similar_tracks", '{"song":{"id":"s1","name":"Low Hum"},"count":3}', ...common(), "--config", "user=nobody"]);
    expect(r.json.call).toMatchObject({ outcome: "failed", hostError: "plugin call failed: reading library 1: username nobody not found" });
  });
});

describe("now-playing-broadcaster (Lifecycle + Scheduler + WebSocket, subsonicapi + users + artwork + config)", () => {
  let wss: WebSocketServer;
  const received: string[] = [];
  beforeAll(async () => {
    wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((r) => wss.once("listening", r));
    wss.on("connection", (ws) => {
      ws.on("message", (m) => received.push(String(m)));
      // Not in the handshake's own packet: the host attaches its reader just after "open"
      // and a frame that arrives with the handshake response is lost (reported on #10).
      setTimeout(() => ws.send("ping"), 100);
    });
  });
  afterAll(() => new Promise<void>((r) => wss.close(() => r())));

  it("connects on init, answers ping, and broadcasts the now-playing list on its schedule", async () => {
    const port = (wss.address() as { port: number }).port;
    const r = await run([
      built("now-playing-broadcaster"),
      "nd_on_init",
      "--config",
      `url=ws://127.0.0.1:${port}`,
      "--config-json",
      '{"intervalSeconds":1}',
      "--subsonic-fixture",
      fixture("now-playing-broadcaster", "subsonic.json"),
      "--wait",
      "2300",
    ]);
    expect(r.json.call.outcome).toBe("ok");
    expect(r.json.logs.map((l: { message: string }) => l.message)).toContain(`connected to ws://127.0.0.1:${port}`);
    expect(received, JSON.stringify(r.json.callbacks)).toContain("pong");
    const updates = received.filter((m) => m.startsWith("{")).map((m) => JSON.parse(m));
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates[0]).toMatchObject({
      type: "nowPlaying",
      entries: [{ user: "alice", player: "web", title: "Jóga", artist: "Björk", state: "playing", positionMs: 61000, coverArt: "http://localhost/share/img/ndp-run.al-al1_0?size=300" }],
    });
    const callbacks = r.json.callbacks.map((c: { export: string }) => c.export);
    expect(callbacks).toContain("nd_websocket_on_text_message");
    expect(callbacks.filter((c: string) => c === "nd_scheduler_callback").length).toBeGreaterThanOrEqual(2);
  });

  it("only logs the updates when no address is configured", async () => {
    const r = await run([built("now-playing-broadcaster"), "nd_scheduler_callback", '{"scheduleId":"broadcast","payload":"broadcast","isRecurring":true}', "--subsonic-fixture", fixture("now-playing-broadcaster", "subsonic.json")]);
    expect(r.json.logs).toEqual([expect.objectContaining({ level: "info", message: expect.stringMatching(/^now playing: \{"type":"nowPlaying","at":\d+,"entries":\[\{"user":"alice"/) })]);
  });
});

describe("library-analyser (Lifecycle + TaskWorker, taskqueue + library filesystem + storage)", () => {
  let music: string;
  let data: string;
  beforeAll(() => {
    music = path.join(work, "analyser-music");
    data = path.join(work, "analyser-data");
    for (const dir of ["Björk/Homogenic", "Björk/Debut", "Notes"]) mkdirSync(path.join(music, dir), { recursive: true });
    writeFileSync(path.join(music, "Björk/Homogenic/01 Jóga.flac"), "fLaC....");
    writeFileSync(path.join(music, "Björk/Homogenic/cover.jpg"), "jpeg");
    writeFileSync(path.join(music, "Björk/Debut/01 Human Behaviour.mp3"), "ID3");
    writeFileSync(path.join(music, "Björk/Debut/01 Human Behaviour.lrc"), "[00:01.00]x");
    writeFileSync(path.join(music, "Notes/readme.txt"), "x");
  });

  it("queues one task per library on init; the task walks the mount and stores a report", async () => {
    const init = await run([built("library-analyser"), "nd_on_init", "--library", `Music=${music}`, "--data", data, "--wait", "1500"]);
    expect(init.json.call.outcome).toBe("ok");
    expect(init.json.callbacks).toEqual([
      expect.objectContaining({ export: "nd_task_execute", outcome: "ok", input: expect.objectContaining({ queueName: "analyse", attempt: 1 }) }),
    ]);
    expect(init.json.logs.map((l: { message: string }) => l.message)).toContain("library 1 (Music): 2 audio files in 5 folders, 1 without cover art");

    const report = await run([built("library-analyser"), "library_report", '{"libraryId":1}', "--library", `Music=${music}`, "--data", data]);
    expect(report.json.call.output).toMatchObject({
      libraryId: 1,
      name: "Music",
      folders: 5,
      files: 5,
      audioFiles: 2,
      lyricsFiles: 1,
      byExtension: { flac: 1, mp3: 1 },
      foldersWithoutCover: 1,
      foldersWithoutCoverSample: ["Björk/Debut"],
    });
    const all = await run([built("library-analyser"), "library_report", "{}", "--library", `Music=${music}`, "--data", data]);
    expect(all.json.call.output.reports).toHaveLength(1);
  });

  it("fails the report export for a library it has not analysed", async () => {
    const r = await run([built("library-analyser"), "library_report", '{"libraryId":7}', "--data", path.join(work, "empty-data")]);
    expect(r.json.call.hostError).toMatch(/^plugin call failed: no report for library 7 yet/);
  });
});

describe("play-counter (Scrobbler, kvstore)", () => {
  it("counts scrobbles per user and artist across runs, and leaves playback reports unimplemented", async () => {
    const data = path.join(work, "counter-data");
    const play = (artist: string) =>
      run([built("play-counter"), "nd_scrobbler_scrobble", JSON.stringify({ username: "alice", track: { title: `${artist} song`, artist, artists: [{ name: artist }] }, timestamp: 1714650000 }), "--data", data]);
    for (const a of ["Björk", "Sigur Rós", "Björk"]) expect((await play(a)).json.call.outcome).toBe("ok");

    const counts = await run([built("play-counter"), "play_counts", '{"username":"alice","top":5}', "--data", data]);
    expect(counts.json.call.output).toEqual({
      username: "alice",
      plays: 3,
      topArtists: [
        { artist: "Björk", plays: 2 },
        { artist: "Sigur Rós", plays: 1 },
      ],
      last: { title: "Björk song", artist: "Björk", timestamp: 1714650000 },
    });
    const report = await run([built("play-counter"), "nd_scrobbler_playback_report", "{}", "--data", data]);
    expect(report.json.call).toMatchObject({ outcome: "not-implemented", code: -2 });
  });

  it("skips the artists the admin chose to ignore", async () => {
    const data = path.join(work, "counter-ignore");
    await run([built("play-counter"), "nd_scrobbler_scrobble", JSON.stringify({ username: "bob", track: { title: "x", artist: "Noise" }, timestamp: 1 }), "--data", data, "--config-json", '{"ignoreArtists":["noise"]}']);
    const counts = await run([built("play-counter"), "play_counts", '{"username":"bob"}', "--data", data]);
    expect(counts.json.call.output).toEqual({ username: "bob", plays: 0, topArtists: [] });
  });
});

describe("recently-added (PlaylistProvider, users + subsonicapi)", () => {
  const subsonic = ["--subsonic-fixture", fixture("recently-added", "subsonic.json")];

  it("offers one playlist per user, refreshed on the configured schedule", async () => {
    const r = await run([built("recently-added"), "nd_playlist_provider_get_available_playlists", "{}", "--user", "ada", "--user", "bob", "--config", "refreshMinutes=30"]);
    expect(r.json.call.output).toEqual({
      playlists: [
        { id: "recent:ada", ownerUsername: "ada" },
        { id: "recent:bob", ownerUsername: "bob" },
      ],
      refreshInterval: 1800,
      retryInterval: 300,
    });
  });

  it("lists the tracks of the newest albums first, up to maxTracks, by library id", async () => {
    const r = await run([built("recently-added"), "nd_playlist_provider_get_playlist", '{"id":"recent:admin"}', ...subsonic, "--config", "maxTracks=2"]);
    expect(r.json.call.output).toMatchObject({ name: "Recently added", description: "The 2 newest tracks in admin's libraries", validUntil: 0 });
    expect(r.json.call.output.tracks.map((t: { id: string; name: string }) => `${t.id} ${t.name}`)).toEqual(["s4 Octave Down", "s1 Low Hum"]);
  });

  it("calls a playlist of an unknown user or id unavailable, and a Subsonic failure transient", async () => {
    const gone = await run([built("recently-added"), "nd_playlist_provider_get_playlist", '{"id":"recent:zed"}', ...subsonic]);
    expect(gone.json.call).toMatchObject({ outcome: "failed", hostError: "plugin call failed: playlist_provider(not_found): no user zed" });
    const down = await run([built("recently-added"), "nd_playlist_provider_get_playlist", '{"id":"recent:admin"}']);
    expect(down.json.call.outcome).toBe("failed");
    expect(down.json.call.hostError).toContain("no Subsonic fixture for getAlbumList2");
    expect(down.json.call.hostError).not.toContain("not_found");
  });
});

describe("the examples pass ndp validate", () => {
  it.each(["wikipedia-bios", "webhook-scrobbler", "lrclib-lyrics", "sonic-neighbours", "now-playing-broadcaster", "library-analyser", "play-counter", "recently-added", "webhook-receiver"])("%s", async (name) => {
    const r = await runNdpJson(["validate", built(name)], { cwd: work });
    expect(r.json).toMatchObject({ ok: true, errors: [], warnings: [] });
  });
});
