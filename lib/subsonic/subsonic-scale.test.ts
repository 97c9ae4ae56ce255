import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db, startQueryCount } from "../db/client";
import { insertLibrary } from "../db/libraries";
import { bootTestServer } from "../testing/boot-test-server";
import { seedSyntheticCatalog, syncSyntheticArtists } from "../testing/synthetic-catalog";
import { createUser } from "../users/users";
import { dispatchAsUser } from "./dispatch";
import { validateSubsonicJson } from "./schema/validate";

/**
 * Issue #18, "no N+1": the SQL statements one request sends do not grow with the library.
 * The same requests are counted on a 1 000-track catalogue and again after it grew to
 * 10 000 (with a 2 000-album artist), for an admin (every library) and a user limited to one
 * of two libraries; every answer is also checked against the OpenSubsonic schema.
 */

let main = 0;
let prolific = "";
let someAlbum = "";

/** Grows library `main` to `tracks` tracks (one artist with `tracks / 5` albums) beside a fixed small second library. */
async function seed(tracks: number, other: number) {
  const a = await seedSyntheticCatalog({ libraryId: main, tracks, prolificAlbums: tracks / 5 });
  const b = await seedSyntheticCatalog({ libraryId: other, tracks: 100, prolificAlbums: 5, prefix: "Other " });
  await syncSyntheticArtists([...a.artists, ...b.artists]);
  prolific = a.prolificArtistId;
  someAlbum = (await db().album.findFirstOrThrow({ where: { albumArtistId: prolific } })).id;
  // Stars, ratings and plays: a hundredth of each kind, for each user.
  for (const user of await db().user.findMany()) {
    for (const [kind, table] of [["album", "Album"], ["track", "MediaFile"], ["artist", "Artist"]] as const) {
      await db().$executeRawUnsafe(
        `INSERT OR IGNORE INTO Annotation (userId, itemType, itemId, starred, starredAt, rating, playCount, playDate)
         SELECT ?, ?, id, 1, ?, 1 + (rowid % 5), 1 + (rowid % 7), ? FROM "${table}" ORDER BY id LIMIT ?`,
        user.id,
        kind,
        "2026-02-01T00:00:00.000+00:00",
        "2026-02-02T00:00:00.000+00:00",
        Math.ceil(tracks / 100),
      );
    }
  }
}

type Case = [method: string, params: Record<string, string>, label?: string];

const cases = (): Case[] => [
  ["getIndexes", {}],
  ["getArtists", {}],
  ["getArtist", { id: prolific }, "prolific artist"],
  ["getMusicDirectory", { id: prolific }, "prolific artist"],
  ["getMusicDirectory", { id: someAlbum }, "album"],
  ["getAlbum", { id: someAlbum }, "album"],
  ...["newest", "alphabeticalByName", "alphabeticalByArtist", "starred", "highest", "frequent", "recent"].map((type): Case => ["getAlbumList2", { type, size: "20", offset: "5" }]),
  ["getAlbumList2", { type: "byYear", fromYear: "1960", toYear: "2000", size: "20" }],
  ["getAlbumList2", { type: "byGenre", genre: "Jazz", size: "20" }],
  ["getAlbumList2", { type: "random", size: "20" }],
  ["getAlbumList2", { type: "random", size: "20", offset: "20" }],
  ["getAlbumList", { type: "alphabeticalByArtist", size: "20" }],
  ["getRandomSongs", { size: "20" }],
  ["getRandomSongs", { size: "20", genre: "Rock", fromYear: "1960", toYear: "2010" }],
  ["getSongsByGenre", { genre: "Folk", count: "20", offset: "5" }],
  ["getGenres", {}],
  ["getStarred", {}],
  ["getStarred2", {}],
  ["search3", { query: "blue" }],
  ["search3", { query: "artist" }],
  ["search3", { query: "" }],
  ["search3", { query: "", songCount: "100", songOffset: "500" }],
  ["search2", { query: "echos" }],
];

/** Each case's statement count for a user (and its answer, checked against the schema). */
async function countAll(userName: string): Promise<Map<string, { queries: number; body: Record<string, unknown> }>> {
  const out = new Map<string, { queries: number; body: Record<string, unknown> }>();
  // Warm-up: the client's first statement on a connection is not the request's doing.
  await dispatchAsUser("/ping.view", new URLSearchParams({ f: "json" }), userName);
  for (const [method, params, what] of cases()) {
    const counter = startQueryCount();
    const res = await dispatchAsUser(`/${method}.view`, new URLSearchParams({ ...params, f: "json", v: "1.16.1", c: "test" }), userName);
    const queries = counter.stop();
    const json = (await res.json())["subsonic-response"];
    const label = `${userName} ${method} ${what ?? new URLSearchParams(params).toString()}`;
    expect(json.status, `${label}: ${JSON.stringify(json.error)}`).toBe("ok");
    const valid = validateSubsonicJson(method, { "subsonic-response": json });
    expect(valid.errors, label).toEqual([]);
    out.set(label, { queries, body: json });
  }
  return out;
}

let small: Map<string, { queries: number; body: Record<string, unknown> }>;
let large: Map<string, { queries: number; body: Record<string, unknown> }>;

beforeAll(async () => {
  const { dataFolder, config } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  main = (await db().library.findFirstOrThrow()).id;
  expect(config.resolved.musicFolder).toBeTruthy();
  const other = (await insertLibrary({ name: "Other", path: path.join(dataFolder, "other") })).id;
  const listener = await createUser({ userName: "listener", password: "listener-pass" });
  await db().userLibrary.create({ data: { userId: listener.id, libraryId: main } });
  await seed(1_000, other);
  small = new Map([...(await countAll("admin")), ...(await countAll("listener"))]);
  await seed(10_000, other);
  large = new Map([...(await countAll("admin")), ...(await countAll("listener"))]);
}, 600_000);

describe("statements per request", () => {
  it("are the same on 1 000 and 10 000 tracks, for every list, browse and search request", () => {
    const counts = (m: typeof small) => Object.fromEntries([...m].map(([k, v]) => [k, v.queries]));
    expect(counts(large)).toEqual(counts(small));
    // …and few: no request needs more than a dozen (auth lookups included).
    for (const [label, { queries }] of large) expect(queries, label).toBeLessThanOrEqual(12);
  });

  it("answer the 2 000-album artist whole, by getArtist and getMusicDirectory", () => {
    const artist = large.get("admin getArtist prolific artist")!.body.artist as { albumCount: number; album: unknown[] };
    expect(artist.album).toHaveLength(2_000);
    const dir = large.get("admin getMusicDirectory prolific artist")!.body.directory as { child: unknown[] };
    expect(dir.child).toHaveLength(2_000);
  });

  it("page the lists at the requested size on the big catalogue", () => {
    for (const type of ["newest", "alphabeticalByName", "alphabeticalByArtist", "random"]) {
      const key = [...large.keys()].find((k) => k.startsWith(`admin getAlbumList2 type=${type}`))!;
      expect((large.get(key)!.body.albumList2 as { album: unknown[] }).album, key).toHaveLength(20);
    }
    expect((large.get("admin getRandomSongs size=20")!.body.randomSongs as { song: unknown[] }).song).toHaveLength(20);
    expect((large.get("admin search3 query=&songCount=100&songOffset=500")!.body.searchResult3 as { song: unknown[] }).song).toHaveLength(100);
  });
});
