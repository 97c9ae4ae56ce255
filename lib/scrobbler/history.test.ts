import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { insertScrobble } from "../db/scrobble-history";
import { insertUser } from "../db/users";
import { bootTestServer } from "../testing/boot-test-server";
import { scrobblePage, type ScrobblePageOptions } from "./history";

// The paging algorithm on its own (addendum A1.5), over the real database.

const T = 1_700_000_000;

beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  await insertUser({ id: "h1", userName: "h1", name: "", email: "", password: "x", isAdmin: false });
  await insertUser({ id: "h2", userName: "h2", name: "", email: "", password: "x", isAdmin: false });
  const lib = await db().library.findFirstOrThrow();
  await db().mediaFile.create({ data: { id: "m1", libraryId: lib.id, path: "m1.wav", title: "M", albumId: "a", artistId: "r", albumArtistId: "r", mtime: new Date() } });
  // One play before, a run of 7 in one second, one after; h2's plays interleave and must never show.
  for (const t of [T - 1, T, T, T, T, T, T, T, T + 1]) {
    await insertScrobble("h1", "m1", t);
    await insertScrobble("h2", "m1", t);
  }
});

async function walkAll(first: ScrobblePageOptions) {
  const pages: number[][] = [];
  let opts: ScrobblePageOptions | undefined = first;
  while (opts && pages.length < 50) {
    const page = await scrobblePage("h1", opts);
    pages.push(page.scrobbles.map((s) => s.id));
    opts = page.next;
  }
  return pages;
}

describe("scrobblePage", () => {
  it("crosses a run of equal seconds longer than two pages, carrying the offset along", async () => {
    const all = (await db().scrobble.findMany({ where: { userId: "h1" }, orderBy: [{ submissionTime: "asc" }, { id: "asc" }] })).map((r) => r.id);
    const up = await walkAll({ descending: false, maxItems: 2, offset: 0 });
    expect(up.flat()).toEqual(all);
    const down = await walkAll({ descending: true, maxItems: 2, offset: 0 });
    expect(down.flat()).toEqual([...all].reverse());
  });

  it("builds next from the clamped options: the look-ahead's second, the trailing ties, the other bound kept", async () => {
    const page = await scrobblePage("h1", { toTimestamp: T + 5, descending: false, maxItems: 3, offset: -4 });
    expect(page.scrobbles.map((s) => s.submissionTime)).toEqual([T - 1, T, T]);
    expect(page.next).toEqual({ fromTimestamp: T, toTimestamp: T + 5, descending: false, maxItems: 3, offset: 2 });
  });
});
