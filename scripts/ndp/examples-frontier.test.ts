import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handlePluginEndpoint } from "@/lib/endpoints/handle";
import { slidingWindowLimiter } from "@/lib/endpoints/rate-limit";
import { pluginManager, type PluginManager } from "@/lib/plugins";
import { pluginPlaylistSync } from "@/lib/playlists/plugin-playlists";
import { startSubsonicTestServer, type SubsonicTestServer } from "@/lib/testing/subsonic-test-server";

// The examples of issue #14 on a real server with the demo library: recently-added's playlists
// as Subsonic clients see them, and webhook-receiver's endpoint through the /ext handler.
const built = path.resolve(import.meta.dirname, "../../build/plugins");
const pluginsFolder = mkdtempSync(path.join(tmpdir(), "ndp-examples-frontier-"));
for (const n of ["recently-added", "webhook-receiver"]) copyFileSync(path.join(built, `${n}.ndp`), path.join(pluginsFolder, `${n}.ndp`));

let s: SubsonicTestServer;
let manager: PluginManager;
const SECRET = "correct horse battery";

beforeAll(async () => {
  s = await startSubsonicTestServer({ env: { ND_PLUGINS_FOLDER: pluginsFolder, ND_PLUGINS_LOGLEVEL: "info" } });
  manager = pluginManager()!;
  await manager.saveSettings("recently-added", { users: [s.listenerId], config: JSON.stringify({ maxTracks: 3 }) });
  await manager.enable("recently-added");
  await pluginPlaylistSync()!.idle("recently-added");
  await manager.saveSettings("webhook-receiver", { config: JSON.stringify({ secret: SECRET, keep: 2 }) });
  await manager.enable("webhook-receiver");
}, 60_000);
afterAll(() => s?.close());

describe("recently-added (PlaylistProvider + subsonicapi)", () => {
  it("gives each selected user a read-only playlist of the tracks of their newest albums", async () => {
    const L = s.creds.listener;
    const newest = (await s.json("getAlbumList2", { type: "newest", size: "20" }, L)).albumList2.album as { id: string }[];
    const expected: string[] = [];
    for (const a of newest) {
      for (const song of (await s.json("getAlbum", { id: a.id }, L)).album.song as { id: string }[]) if (expected.length < 3) expected.push(song.id);
      if (expected.length >= 3) break;
    }
    expect(expected).toHaveLength(3);

    const lists = (await s.json("getPlaylists", {}, L)).playlists.playlist;
    expect(lists).toHaveLength(1);
    expect(lists[0]).toMatchObject({ name: "Recently added", comment: "The 3 newest tracks in listener's libraries", owner: "listener", readonly: true, songCount: 3 });
    const { playlist } = await s.json("getPlaylist", { id: lists[0].id }, L);
    expect(playlist.entry.map((e: { id: string }) => e.id)).toEqual(expected);
    // The admin is not among the plugin's users: no playlist for them.
    expect((await s.json("getPlaylists", {}, s.creds.admin)).playlists.playlist ?? []).toEqual([]);
  });
});

describe("webhook-receiver (HTTPEndpoint auth none + kvstore)", () => {
  const limiter = slidingWindowLimiter(0, 60_000);
  const call = (p: string, init: RequestInit = {}) => {
    const url = new URL(`http://127.0.0.1/ext/webhook-receiver${p}`);
    return handlePluginEndpoint(new Request(url, init), "webhook-receiver", url.pathname.split("/").slice(3).filter(Boolean), { limiter });
  };
  const hook = (body: string, secret = SECRET) => call("/hook", { method: "POST", headers: { "Content-Type": "application/json", "X-Webhook-Secret": secret }, body });

  it("refuses senders without the shared secret, on every route", async () => {
    expect((await hook('{"n":0}', "guess")).status).toBe(401);
    expect((await call("/hook", { method: "POST", body: "x" })).status).toBe(401);
    expect((await call("/")).status).toBe(401);
    expect((await call("/latest?secret=wrong")).status).toBe(401);
  });

  it("keeps the last payloads and shows them, escaped, on its page", async () => {
    for (const n of [1, 2, 3]) expect((await hook(JSON.stringify({ n, note: n === 3 ? "<script>alert(1)</script>" : "ok" }))).status).toBe(204);
    const latest = await call(`/latest?secret=${encodeURIComponent(SECRET)}`);
    expect(latest.status).toBe(200);
    expect(await latest.json()).toMatchObject({ contentType: "application/json", body: '{"n":3,"note":"<script>alert(1)</script>"}', truncated: false });

    const page = await call(`/?secret=${encodeURIComponent(SECRET)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("sandbox");
    const html = await page.text();
    // keep = 2: the first payload is gone; newest first; the body is shown as text, never as markup.
    expect(html).not.toContain("&quot;n&quot;:1");
    expect(html.indexOf("&quot;n&quot;:3")).toBeGreaterThan(-1);
    expect(html.indexOf("&quot;n&quot;:3")).toBeLessThan(html.indexOf("&quot;n&quot;:2"));
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain("<script>");
  });

  it("answers 503 until a secret is configured", async () => {
    await manager.saveSettings("webhook-receiver", { config: JSON.stringify({}) });
    const r = await hook('{"n":4}', "");
    expect(r.status).toBe(503);
    expect(await r.text()).toContain("set a shared secret");
  });
});
