import { beforeAll, describe, expect, it } from "vitest";
import { bootTestServer } from "../testing/boot-test-server";
import * as q from "./annotations";
import { insertUser } from "./users";

beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  for (const id of ["u1", "u2"]) await insertUser({ id, userName: id, name: "", email: "", password: "x", isAdmin: false });
});

describe("annotation queries", () => {
  it("star and unstar in one go, keeping the first star's date", async () => {
    const first = new Date("2024-01-01T00:00:00Z");
    await q.writeStars("u1", [{ type: "album", id: "a1" }, { type: "track", id: "t1" }], true, first);
    await q.writeStars("u1", [{ type: "album", id: "a1" }], true, new Date("2024-02-01T00:00:00Z"));
    const rows = await q.findAnnotations("u1", { album: ["a1"], track: ["t1"], artist: [] });
    expect(rows.map((r) => [r.itemType, r.itemId, r.starred, r.starredAt?.toISOString()]).sort()).toEqual([
      ["album", "a1", true, first.toISOString()],
      ["track", "t1", true, first.toISOString()],
    ]);
    await q.writeStars("u1", [{ type: "track", id: "t1" }, { type: "artist", id: "never" }], false, new Date());
    expect((await q.starredAnnotations("u1")).map((r) => r.itemId)).toEqual(["a1"]);
    expect(await q.findAnnotations("u1", { artist: ["never"] })).toEqual([]);
    expect(await q.findAnnotations("u1", {})).toEqual([]);
  });

  it("rate, and average ratings over users", async () => {
    await q.writeRating("u1", { type: "track", id: "r1" }, 4);
    await q.writeRating("u2", { type: "track", id: "r1" }, 1);
    await q.writeRating("u2", { type: "track", id: "r2" }, 0);
    expect((await q.trackAnnotations("u1", ["r1", "r2"])).map((r) => [r.itemId, r.rating])).toEqual([["r1", 4]]);
    expect(await q.meanTrackRatings(["r1", "r2"])).toEqual(new Map([["r1", 2.5]]));
  });

  it("count plays, keeping the latest play date", async () => {
    const late = new Date("2024-06-01T00:00:00Z");
    const early = new Date("2024-03-01T00:00:00Z");
    await q.incrementPlays("u1", [{ type: "track", id: "p1" }, { type: "album", id: "pa" }], late);
    await q.incrementPlays("u1", [{ type: "track", id: "p1" }], early);
    const [row] = await q.trackAnnotations("u1", ["p1"]);
    expect([row.playCount, row.playDate]).toEqual([2, late]);
  });

  it("order a user's albums by stars, ratings, plays and recency", async () => {
    await q.writeStars("u2", [{ type: "album", id: "s1" }], true, new Date("2024-01-01T00:00:00Z"));
    await q.writeStars("u2", [{ type: "album", id: "s2" }], true, new Date("2024-02-01T00:00:00Z"));
    await q.writeRating("u2", { type: "album", id: "s1" }, 5);
    await q.writeRating("u2", { type: "album", id: "s2" }, 3);
    await q.incrementPlays("u2", [{ type: "album", id: "s2" }], new Date("2024-01-05T00:00:00Z"));
    await q.incrementPlays("u2", [{ type: "album", id: "s2" }], new Date("2024-01-06T00:00:00Z"));
    await q.incrementPlays("u2", [{ type: "album", id: "s1" }], new Date("2024-03-01T00:00:00Z"));
    expect(await q.annotatedAlbumIds("u2", "starred")).toEqual(["s2", "s1"]);
    expect(await q.annotatedAlbumIds("u2", "highest")).toEqual(["s1", "s2"]);
    expect(await q.annotatedAlbumIds("u2", "frequent")).toEqual(["s2", "s1"]);
    expect(await q.annotatedAlbumIds("u2", "recent")).toEqual(["s1", "s2"]);
  });
});
