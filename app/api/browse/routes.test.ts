import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AUTH_HEADER, tokenFor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { assignLibrary, insertLibrary } from "@/lib/db/libraries";
import { writeDemoLibrary, writeGeneratedLibrary } from "@/lib/media/demo-library";
import { albumId } from "@/lib/scanner/ids";
import { startScan } from "@/lib/scanner/scanner";
import { bootTestServer } from "@/lib/testing/boot-test-server";
import { createUser, findUserByName } from "@/lib/users/users";
import { GET as cover } from "../cover/[id]/route";
import { POST as rate } from "./rating/route";
import { GET as search } from "./search/route";
import { POST as star } from "./star/route";
import { GET as tracks } from "./tracks/route";

/**
 * The listener pages' JSON and image routes over real HTTP-shaped requests: `admin` sees the
 * demo and generated libraries, `listener` (non-admin) only the generated one.
 */

type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;

let adminToken = "";
let listenerToken = "";
let sineWaves = "";
let genAlbum = "";

beforeAll(async () => {
  const { config, dataFolder } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  writeDemoLibrary(config.resolved.musicFolder, { seconds: 1 });
  const demo = (await db().library.findFirstOrThrow()).id;
  const folder = path.join(dataFolder, "generated");
  writeGeneratedLibrary(folder, { artists: 1, albums: 1, tracks: 2 });
  const gen = (await insertLibrary({ name: "Generated", path: folder })).id;
  await startScan();
  sineWaves = albumId(demo, "The Tessitura Ensemble", "Sine Waves");
  genAlbum = albumId(gen, "Artist 0", "Album 0");
  adminToken = await tokenFor((await findUserByName("admin"))!);
  const u = await createUser({ userName: "listener", password: "listener-pass" });
  await assignLibrary(u.id, gen);
  listenerToken = await tokenFor((await findUserByName("listener"))!);
});

function call<P>(handler: Handler<P>, url: string, opts: { token?: string | null; method?: string; body?: unknown; params?: P } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token !== null) headers[AUTH_HEADER] = `Bearer ${opts.token ?? adminToken}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const req = new Request(`http://127.0.0.1${url}`, { method: opts.method ?? "GET", headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  return handler(req, { params: Promise.resolve((opts.params ?? {}) as P) });
}

describe("GET /api/cover/:id", () => {
  it("serves an album's cover, scaled to the size bucket", async () => {
    const res = await call(cover, `/api/cover/al-${sineWaves}?size=40`, { params: { id: `al-${sineWaves}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await res.arrayBuffer());
    // PNG IHDR width at bytes 16–19: the 128 px demo cover scaled into the 64 px bucket.
    expect(new DataView(bytes.buffer).getUint32(16)).toBe(64);
  });

  it("answers the placeholder for a cover outside the user's libraries, exactly as for a missing one", async () => {
    const hidden = await call(cover, "/x", { token: listenerToken, params: { id: `al-${sineWaves}` } });
    const missing = await call(cover, "/x", { token: listenerToken, params: { id: "al-no-such-album" } });
    expect(hidden.headers.get("content-type")).toBe("image/svg+xml");
    expect(await hidden.text()).toBe(await missing.text());
    expect((await call(cover, "/x", { token: listenerToken, params: { id: `al-${genAlbum}` } })).headers.get("content-type")).toBe("image/png");
  });

  it("needs a signed-in user", async () => {
    expect((await call(cover, "/x", { token: null, params: { id: `al-${sineWaves}` } })).status).toBe(401);
  });
});

describe("GET /api/browse/search and /api/browse/tracks", () => {
  it("searches within the user's libraries", async () => {
    expect((await (await call(search, "/api/browse/search?q=sine")).json()).albums.map((a: { name: string }) => a.name)).toEqual(["Sine Waves"]);
    expect((await (await call(search, "/api/browse/search?q=sine", { token: listenerToken })).json()).albums).toEqual([]);
  });

  it("answers an album's PlayerTracks, 404 outside the user's libraries, 400 without an item", async () => {
    const ok = await (await call(tracks, `/api/browse/tracks?album=${sineWaves}`)).json();
    expect(ok.tracks.map((t: { title: string }) => t.title)).toEqual(["A Above Middle C", "Perfect Fifth", "Octave Down"]);
    expect((await call(tracks, `/api/browse/tracks?album=${sineWaves}`, { token: listenerToken })).status).toBe(404);
    expect((await call(tracks, "/api/browse/tracks")).status).toBe(400);
  });
});

describe("POST /api/browse/star and /api/browse/rating", () => {
  it("stars and rates what the user can see", async () => {
    expect((await call(star, "/api/browse/star", { method: "POST", token: listenerToken, body: { type: "album", id: genAlbum, starred: true } })).status).toBe(204);
    expect((await call(rate, "/api/browse/rating", { method: "POST", token: listenerToken, body: { type: "album", id: genAlbum, rating: 5 } })).status).toBe(204);
    const userId = (await findUserByName("listener"))!.id;
    expect(await db().annotation.findFirstOrThrow({ where: { userId, itemId: genAlbum } })).toMatchObject({ starred: true, rating: 5 });
  });

  it("answers 404 for an item in another library, 400 for a bad rating", async () => {
    expect((await call(star, "/api/browse/star", { method: "POST", token: listenerToken, body: { type: "album", id: sineWaves, starred: true } })).status).toBe(404);
    expect((await call(rate, "/api/browse/rating", { method: "POST", body: { type: "album", id: sineWaves, rating: 7 } })).status).toBe(400);
  });
});
