import { beforeAll, describe, expect, it } from "vitest";
import { bootTestServer } from "../testing/boot-test-server";
import { db } from "./client";
import { upsertPlayer } from "./players";
import * as buffer from "./scrobble-buffer";
import { insertUser } from "./users";

/** The scrobbling tables: players.ts and scrobble-buffer.ts. */

beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  for (const id of ["u1", "u2"]) await insertUser({ id, userName: id, name: "", email: "", password: "x", isAdmin: false });
  const lib = await db().library.findFirstOrThrow();
  await db().mediaFile.create({ data: { id: "t1", libraryId: lib.id, path: "t1.wav", title: "One", albumId: "a", artistId: "r", albumArtistId: "r", mtime: new Date() } });
});

describe("players", () => {
  it("register a player once per user, client and user agent; later sightings update name and address", async () => {
    const first = await upsertPlayer({ userId: "u1", client: "app", userAgent: "ua", name: "app [ua]", ip: "10.0.0.1" });
    const again = await upsertPlayer({ userId: "u1", client: "app", userAgent: "ua", name: "app [ua]", ip: "10.0.0.2" });
    const other = await upsertPlayer({ userId: "u1", client: "app", userAgent: "ua2", name: "app [ua2]", ip: "10.0.0.1" });
    expect(again.id).toBe(first.id);
    expect([again.ip, again.scrobbleEnabled]).toEqual(["10.0.0.2", true]);
    expect(other.id).not.toBe(first.id);
  });
});

describe("scrobble buffer", () => {
  const t = (s: string) => new Date(`2025-01-01T00:00:0${s}Z`);

  it("keeps one row per play, hands out each user's oldest first, users with fewest waiting first", async () => {
    await buffer.enqueueScrobble("svc", "u1", "t1", t("2"));
    await buffer.enqueueScrobble("svc", "u1", "t1", t("2"));
    await buffer.enqueueScrobble("svc", "u1", "gone", t("1"));
    await buffer.enqueueScrobble("svc", "u2", "t1", t("3"));
    await buffer.enqueueScrobble("other", "u2", "t1", t("3"));
    expect(await buffer.countBufferedScrobbles("svc")).toBe(3);
    expect(await buffer.bufferedUserIds("svc")).toEqual(["u2", "u1"]);
    expect((await buffer.bufferedServices()).sort()).toEqual(["other", "svc"]);
    const oldest = (await buffer.nextScrobble("svc", "u1"))!;
    expect([oldest.playTime, oldest.track]).toEqual([t("1"), null]);
    await buffer.dequeueScrobble(oldest.id);
    const next = (await buffer.nextScrobble("svc", "u1"))!;
    expect([next.playTime, next.track?.title]).toEqual([t("2"), "One"]);
    expect(await buffer.discardScrobbles("svc")).toBe(2);
    expect(await buffer.nextScrobble("svc", "u1")).toBeNull();
    expect(await buffer.bufferedServices()).toEqual(["other"]);
  });
});
