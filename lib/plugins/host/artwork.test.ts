import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as shareImage } from "@/app/share/img/[token]/route";
import { issueToken, signJwt } from "../../auth/token";
import { db } from "../../db/client";
import { writeDemoLibrary } from "../../media/demo-library";
import { startScan } from "../../scanner/scanner";
import { settings } from "../../server/settings";
import { bootWithPlugins, callHost as callHostVia } from "../../testing/background-plugins";
import { installVariant } from "../../testing/host-plugins";
import type { PluginManager } from "../manager";

const ID = "test-artwork";
let manager: PluginManager;

const callHost = (fn: string, request: object | string) => callHostVia(manager, ID, "nd_test_artwork", fn, request);
const urlOf = async (fn: string, id: string, size = 0) => (JSON.parse(await callHost(fn, { id, size })) as { url: string }).url;
const claimsOf = (url: string) => JSON.parse(Buffer.from(new URL(url).pathname.split("/").pop()!.split(".")[1], "base64url").toString()) as Record<string, unknown>;

/** Fetches a public image link through the route handler, as the server would serve it. */
async function fetchShare(url: string): Promise<Response> {
  const u = new URL(url);
  const token = u.pathname.slice(u.pathname.lastIndexOf("/") + 1);
  return shareImage(new Request(`http://127.0.0.1/share/img/${token}${u.search}`), { params: Promise.resolve({ token }) });
}

/** Width of a PNG (bytes 16–19 of its IHDR). */
const pngWidth = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(16);

beforeAll(async () => {
  let dataFolder: string;
  let pluginsFolder: string;
  ({ manager, dataFolder, pluginsFolder } = await bootWithPlugins([ID], { ND_SCANNER_SCANONSTARTUP: "false" }));
  installVariant(pluginsFolder, { base: ID, id: "artwork-unpermitted", manifest: (m) => delete m.permissions });
  await manager.sync();
  writeDemoLibrary(path.join(dataFolder, "music"), { seconds: 1 });
  await startScan();
  await manager.enable(ID);
});

describe("artwork URLs (contract §4.9)", () => {
  it("answers http://localhost/share/img/<token>?size=N, the token signed with claims {iss: ND, id: <kind>-<id>_0}", async () => {
    const resp = await callHost("artwork_getalbumurl", { id: "abc", size: 300 });
    expect(resp).toMatch(/^\{"url":"http:\/\/localhost\/share\/img\/[\w-]+\.[\w-]+\.[\w-]+\?size=300"\}$/);
    const url = (JSON.parse(resp) as { url: string }).url;
    const [header] = new URL(url).pathname.split("/").pop()!.split(".");
    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT" });
    expect(claimsOf(url)).toEqual({ iss: "ND", id: "al-abc_0", exp: expect.any(Number) });
  });

  it("uses the kind of each function and leaves out the size when it is 0", async () => {
    expect(claimsOf(await urlOf("artwork_getartisturl", "x")).id).toBe("ar-x_0");
    expect(claimsOf(await urlOf("artwork_gettrackurl", "x")).id).toBe("mf-x_0");
    expect(claimsOf(await urlOf("artwork_getplaylisturl", "x")).id).toBe("pl-x_0");
    expect(new URL(await urlOf("artwork_getalbumurl", "x")).search).toBe("");
  });

  it("never checks the ID; an empty ID gives a token without one", async () => {
    expect(claimsOf(await urlOf("artwork_getalbumurl", ""))).toEqual({ iss: "ND", exp: expect.any(Number) });
    expect(await callHost("artwork_getalbumurl", {})).toMatch(/^\{"url":"http:\/\/localhost\/share\/img\/[^"?]+"\}$/);
  });

  it("builds on ShareURL (with its path) when set, else on BaseUrl", async () => {
    const config = settings();
    try {
      config.ShareURL = "https://music.example.com/nd/";
      expect(await urlOf("artwork_getalbumurl", "x", 64)).toMatch(/^https:\/\/music\.example\.com\/nd\/share\/img\/[^?]+\?size=64$/);
      config.ShareURL = "";
      config.BaseUrl = "/music";
      expect(await urlOf("artwork_getalbumurl", "x")).toMatch(/^http:\/\/localhost\/music\/share\/img\/[^?]+$/);
    } finally {
      config.ShareURL = "";
      config.BaseUrl = "";
    }
  });

  it("answers an undecodable request with Go's decoder error", async () => {
    expect(await callHost("artwork_gettrackurl", '{"size":"big"}')).toBe('{"error":"json: cannot unmarshal string into Go struct field ArtworkGetTrackUrlRequest.size of type int32"}');
  });
});

describe("permission", () => {
  it("a plugin importing artwork functions without the artwork permission fails to load", async () => {
    await expect(manager.enable("artwork-unpermitted")).rejects.toThrow(/"artwork_get\w+url" is not exported in module "extism:host\/user"/);
  });
});

describe("GET /share/img/:token", () => {
  it("serves album, track and artist art for the links plugins get, scaled by size", async () => {
    const album = await db().album.findFirstOrThrow({ where: { coverArtPath: { not: "" } } });
    const track = await db().mediaFile.findFirstOrThrow({ where: { albumId: album.id } });
    for (const url of [await urlOf("artwork_getalbumurl", album.id), await urlOf("artwork_gettrackurl", track.id), await urlOf("artwork_getartisturl", album.albumArtistId)]) {
      const res = await fetchShare(url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      expect(pngWidth(new Uint8Array(await res.arrayBuffer()))).toBe(128);
    }
    const small = await fetchShare(await urlOf("artwork_getalbumurl", album.id, 32));
    expect(small.status).toBe(200);
    expect(pngWidth(new Uint8Array(await small.arrayBuffer()))).toBe(32);
  });

  it("answers 404 for items that do not exist or have no art", async () => {
    const res = await fetchShare(await urlOf("artwork_getalbumurl", "no-such-album"));
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("Artwork not found");
    expect((await fetchShare(await urlOf("artwork_getplaylisturl", "no-such-playlist"))).status).toBe(404);
  });

  it("refuses tampered, expired, foreign and session tokens with 400", async () => {
    const album = await db().album.findFirstOrThrow({ where: { coverArtPath: { not: "" } } });
    const good = new URL(await urlOf("artwork_getalbumurl", album.id)).pathname.split("/").pop()!;
    const [h, , sig] = good.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ iss: "ND", id: "al-other_0" })).toString("base64url")}.${sig}`;
    const expired = await signJwt({ iss: "ND", id: `al-${album.id}_0`, exp: Math.floor(Date.now() / 1000) - 1 });
    const session = await issueToken({ sub: "u", usr: "admin", adm: true, gen: 0 }, 60_000);
    const notArtwork = await signJwt({ iss: "ND", id: "zz-1_0" });
    for (const token of [forged, expired, session, notArtwork, "garbage"]) {
      const res = await fetchShare(`http://localhost/share/img/${token}`);
      expect(res.status, token).toBe(400);
    }
  });
});
