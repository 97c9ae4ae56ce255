import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { HOST_OVERRIDES_ENV } from "@/lib/net/host-overrides";
import { waitFor } from "@/lib/testing/background-plugins";
import { startScrobblerTestServer, type ScrobblerTestServer } from "@/lib/testing/scrobbler-test-server";
import { stopPlayTracker } from "@/lib/scrobbler";

// The example plugins that follow playback, on a real server with the play tracker: the
// webhook scrobbler posting to a local receiver (its host pinned with the operators'
// override), the KV-store play counter, and the now-playing broadcaster on a local WebSocket.
let s: ScrobblerTestServer;
let hooks: Server;
const posts: Record<string, any>[] = [];
let wss: WebSocketServer;
const frames: string[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  hooks = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      posts.push({ path: req.url, auth: req.headers.authorization, ...JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hooks.listen(0, "127.0.0.1", r));
  process.env[HOST_OVERRIDES_ENV] = `hooks.example.test=127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((r) => wss.once("listening", r));
  wss.on("connection", (ws) => {
    sockets.push(ws);
    ws.on("message", (m) => frames.push(String(m)));
  });
  s = await startScrobblerTestServer(["webhook-scrobbler", "play-counter", "now-playing-broadcaster"]);
});

afterAll(async () => {
  delete process.env[HOST_OVERRIDES_ENV];
  await stopPlayTracker();
  await s?.close();
  hooks?.closeAllConnections();
  hooks?.close();
  for (const ws of sockets) ws.terminate();
  await new Promise<void>((r) => (wss ? wss.close(() => r()) : r()));
});

describe("webhook-scrobbler", () => {
  it("posts now playing, playback reports and scrobbles for the allowed users", async () => {
    await s.enable("webhook-scrobbler", { config: { webhookUrl: "http://hooks.example.test/plays", token: "t0k3n" } });
    const track = s.tracks[0];
    await s.call("reportPlayback", { mediaId: track.id, mediaType: "song", positionMs: "0", state: "playing" }, { player: "hook-player", client: "web" });
    const nowPlaying = await waitFor(() => posts.find((p) => p.event === "nowPlaying"), 5000, "now playing post");
    expect(nowPlaying).toMatchObject({ path: "/plays", auth: "Bearer t0k3n", user: { userName: "admin" }, track: { id: track.id, title: track.title, artist: track.artist } });
    await waitFor(() => posts.find((p) => p.event === "playbackReport" && p.state === "playing"), 5000, "playback report post");

    await s.call("scrobble", { id: track.id, submission: "true" });
    const scrobble = await waitFor(() => posts.find((p) => p.event === "scrobble"), 5000, "scrobble post");
    expect(scrobble.track.title).toBe(track.title);
    expect(scrobble.timestamp).toBeGreaterThan(1_700_000_000);
  });
});

describe("play-counter", () => {
  it("counts scrobbles in its KV store and answers play_counts", async () => {
    await s.enable("play-counter");
    const [first, second] = s.tracks;
    for (const t of [first, second, first]) await s.call("scrobble", { id: t.id, submission: "true" });
    const counted = () => s.manager.activity("play-counter").recentLines().filter((l) => l.message.startsWith("counted ")).length;
    await waitFor(() => counted() >= 3, 10_000, "three counted scrobbles");
    const counts = await s.manager.call<Record<string, any>>("play-counter", "play_counts", { username: "admin" });
    expect(counts!.plays).toBe(3);
    expect(counts!.topArtists[0]).toEqual({ artist: first.artist, plays: first.artist === second.artist ? 3 : 2 });
  });
});

describe("now-playing-broadcaster", () => {
  it("connects on enable and broadcasts the sessions with cover links on its schedule and on request", async () => {
    const port = (wss.address() as AddressInfo).port;
    await s.enable("now-playing-broadcaster", { config: { url: `ws://127.0.0.1:${port}`, intervalSeconds: "1" } });
    await waitFor(() => sockets.length > 0, 5000, "the plugin's connection");
    const track = s.tracks[1];
    await s.call("reportPlayback", { mediaId: track.id, mediaType: "song", positionMs: "500", state: "paused" }, { player: "np-player", client: "wall" });
    const update = await waitFor(
      () => frames.map((f) => JSON.parse(f)).find((m) => m.entries?.some((e: { trackId: string }) => e.trackId === track.id)),
      5000,
      "an update with the paused track",
    );
    expect(update.entries.find((e: { trackId: string }) => e.trackId === track.id)).toMatchObject({
      user: "admin",
      player: "wall",
      state: "paused",
      title: track.title,
      coverArt: expect.stringMatching(/^http:\/\/localhost\/share\/img\/[^/?]+\?size=300$/),
    });

    const before = frames.length;
    sockets[0].send("ping");
    await waitFor(() => frames.slice(before).includes("pong"), 5000, "pong");
  });
});
