import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { artistIndexCacheStats, clearArtistIndexCache } from "../catalog/artist-index-cache";
import { saveArtistInfo } from "../db/agents";
import { db } from "../db/client";
import { forgetLibraryCatalog, insertLibrary } from "../db/libraries";
import type { ScannedArtist } from "../db/scan";
import { bootTestServer } from "../testing/boot-test-server";
import { seedSyntheticCatalog, syncSyntheticArtists } from "../testing/synthetic-catalog";
import { createUser } from "../users/users";
import { dispatchAsUser } from "./dispatch";
import { validateSubsonicJson } from "./schema/validate";

/**
 * Issue #18: getArtists/getIndexes answers are cached per (user, visible libraries, catalog
 * generation, the user's annotation generation). A cached answer must be byte-identical to a
 * freshly built one, and every write the answer depends on must change it.
 */

let main = 0;
let other = 0;
let listenerId = "";
let artists: ScannedArtist[] = [];

async function call(user: string, method: string, params: Record<string, string> = {}): Promise<string> {
  const res = await dispatchAsUser(`/${method}.view`, new URLSearchParams({ v: "1.16.1", c: "test", ...params }), user);
  return res.text();
}

/** The artist entries of a JSON getArtists answer, by id. */
async function artistEntries(user: string): Promise<Map<string, Record<string, unknown>>> {
  const json = JSON.parse(await call(user, "getArtists", { f: "json" }))["subsonic-response"];
  expect(json.status).toBe("ok");
  const out = new Map<string, Record<string, unknown>>();
  for (const idx of json.artists.index ?? []) for (const a of idx.artist) out.set(a.id, a);
  return out;
}

beforeAll(async () => {
  const { dataFolder } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  main = (await db().library.findFirstOrThrow()).id;
  other = (await insertLibrary({ name: "Other", path: path.join(dataFolder, "other") })).id;
  listenerId = (await createUser({ userName: "listener", password: "listener-pass" })).id;
  await db().userLibrary.create({ data: { userId: listenerId, libraryId: main } });
  const a = await seedSyntheticCatalog({ libraryId: main, tracks: 300, prolificAlbums: 10 });
  const b = await seedSyntheticCatalog({ libraryId: other, tracks: 60, prolificAlbums: 3, prefix: "Other " });
  artists = [...new Map([...a.artists, ...b.artists].map((x) => [x.id, x])).values()];
  await syncSyntheticArtists(artists);
}, 120_000);

beforeEach(() => clearArtistIndexCache());

describe("getArtists/getIndexes cache", () => {
  it("serves a second identical request from the cache, byte-identical, in every format", async () => {
    for (const method of ["getArtists", "getIndexes"]) {
      for (const f of ["json", "xml"]) {
        clearArtistIndexCache();
        const built = await call("admin", method, { f });
        const before = artistIndexCacheStats().hits;
        const cached = await call("admin", method, { f });
        expect(artistIndexCacheStats().hits, `${method} ${f}`).toBe(before + 1);
        expect(cached, `${method} ${f}`).toBe(built);
        if (f === "json") {
          const body = JSON.parse(cached);
          expect(body["subsonic-response"].status).toBe("ok");
          expect(validateSubsonicJson(method, body).errors, method).toEqual([]);
        } else {
          expect(cached.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<subsonic-response xmlns="http://subsonic.org/restapi" status="ok"')).toBe(true);
        }
      }
      // JSONP wraps the same cached JSON document in the caller's callback.
      const json = await call("admin", method, { f: "json" });
      expect(await call("admin", method, { f: "jsonp", callback: "cb" })).toBe(`cb(${json})`);
    }
  });

  it("answers getIndexes with ifModifiedSince past the last scan without the artists", async () => {
    const full = JSON.parse(await call("admin", "getIndexes", { f: "json" }))["subsonic-response"].indexes;
    expect(full.index.length).toBeGreaterThan(0);
    const since = JSON.parse(await call("admin", "getIndexes", { f: "json", ifModifiedSince: String(full.lastModified + 1) }))["subsonic-response"].indexes;
    expect(since.index).toBeUndefined();
    expect(since.lastModified).toBe(full.lastModified);
  });

  it("changes after a rescan renames an artist", async () => {
    const target = artists.find((a) => a.name.startsWith("Other "))!;
    expect((await artistEntries("admin")).get(target.id)?.name).toBe(target.name);
    await artistEntries("admin"); // cached now
    const renamed = artists.map((a) => (a.id === target.id ? { ...a, name: `${a.name} Renamed` } : a));
    await syncSyntheticArtists(renamed);
    expect((await artistEntries("admin")).get(target.id)?.name).toBe(`${target.name} Renamed`);
    await syncSyntheticArtists(artists);
    expect((await artistEntries("admin")).get(target.id)?.name).toBe(target.name);
  });

  it("changes when artist info (image) is saved", async () => {
    const target = artists[0];
    await artistEntries("admin");
    await saveArtistInfo(target.id, { largeImageUrl: "https://img.example/a.jpg" });
    expect((await artistEntries("admin")).get(target.id)?.artistImageUrl).toBe("https://img.example/a.jpg");
    await saveArtistInfo(target.id, { largeImageUrl: "" });
  });

  it("changes on star and unstar, for that user only", async () => {
    const id = artists[1].id;
    expect((await artistEntries("admin")).get(id)?.starred).toBeUndefined();
    const listenerBefore = await call("listener", "getArtists", { f: "json" });
    expect(JSON.parse(await call("admin", "star", { f: "json", artistId: id }))["subsonic-response"].status).toBe("ok");
    expect((await artistEntries("admin")).get(id)?.starred).toEqual(expect.any(String));
    // getIndexes carries stars too.
    expect(await call("admin", "getIndexes", { f: "json" })).toContain(`"id":"${id}"`);
    const idx = JSON.parse(await call("admin", "getIndexes", { f: "json" }))["subsonic-response"].indexes.index.flatMap((i: { artist: unknown[] }) => i.artist);
    expect(idx.find((a: { id: string }) => a.id === id).starred).toEqual(expect.any(String));
    expect(await call("listener", "getArtists", { f: "json" })).toBe(listenerBefore);
    expect(JSON.parse(await call("admin", "unstar", { f: "json", artistId: id }))["subsonic-response"].status).toBe("ok");
    expect((await artistEntries("admin")).get(id)?.starred).toBeUndefined();
  });

  it("changes on a rating", async () => {
    const id = artists[2].id;
    await artistEntries("admin");
    expect(JSON.parse(await call("admin", "setRating", { f: "json", id, rating: "4" }))["subsonic-response"].status).toBe("ok");
    expect((await artistEntries("admin")).get(id)?.userRating).toBe(4);
    await call("admin", "setRating", { f: "json", id, rating: "0" });
    expect((await artistEntries("admin")).get(id)?.userRating).toBeUndefined();
  });

  it("changes when the user's library access changes, and per musicFolderId", async () => {
    const before = await artistEntries("listener");
    await artistEntries("listener");
    const only = (await db().album.findFirstOrThrow({ where: { libraryId: other } })).albumArtistId;
    expect(before.has(only)).toBe(false);
    await db().userLibrary.create({ data: { userId: listenerId, libraryId: other } });
    expect((await artistEntries("listener")).has(only)).toBe(true);
    const narrowed = JSON.parse(await call("listener", "getArtists", { f: "json", musicFolderId: String(main) }))["subsonic-response"];
    expect(JSON.stringify(narrowed)).not.toContain(`"id":"${only}"`);
    await db().userLibrary.delete({ where: { userId_libraryId: { userId: listenerId, libraryId: other } } });
    expect((await artistEntries("listener")).has(only)).toBe(false);
  });

  // Last: it empties the second library.
  it("changes when a library's catalogue is forgotten (its folder changed)", async () => {
    const only = (await db().album.findFirstOrThrow({ where: { libraryId: other } })).albumArtistId;
    expect((await artistEntries("admin")).has(only)).toBe(true);
    await artistEntries("admin");
    await forgetLibraryCatalog(other);
    expect((await artistEntries("admin")).has(only)).toBe(false);
  });
});
