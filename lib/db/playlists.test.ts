import { beforeAll, describe, expect, it } from "vitest";
import { bootTestServer } from "../testing/boot-test-server";
import * as q from "./playlists";
import { insertUser } from "./users";

beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  await insertUser({ id: "u1", userName: "alice", name: "", email: "", password: "x", isAdmin: false });
  await insertUser({ id: "u2", userName: "bob", name: "", email: "", password: "x", isAdmin: false });
});

describe("playlist queries", () => {
  it("insert, update, write tracks (duplicates kept, positions from 0) and read them back", async () => {
    await q.insertPlaylist({ id: "p1", name: "Mine", ownerId: "u1" });
    await q.updatePlaylistRow("p1", { comment: "c", public: undefined });
    const before = (await q.findPlaylist("p1"))!;
    expect([before.name, before.comment, before.public, before.owner.userName]).toEqual(["Mine", "c", false, "alice"]);
    await q.writePlaylistTracks("p1", ["t2", "t1", "t2"]);
    expect(await q.playlistTrackIds(["p1", "none"])).toEqual(new Map([["p1", ["t2", "t1", "t2"]], ["none", []]]));
    expect(await q.firstTrackIdOf("p1")).toBe("t2");
    expect((await q.findPlaylist("p1"))!.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    await q.writePlaylistTracks("p1", ["t3"]);
    expect((await q.playlistTrackIds(["p1"])).get("p1")).toEqual(["t3"]);
    expect(await q.firstTrackIdOf("none")).toBeNull();
  });

  it("list a user's own and everyone's public playlists by name, and delete", async () => {
    await q.insertPlaylist({ id: "p2", name: "Bobs private", ownerId: "u2" });
    await q.insertPlaylist({ id: "p3", name: "Bobs public", ownerId: "u2" });
    await q.updatePlaylistRow("p3", { public: true });
    expect((await q.findPlaylistsOwnedOrPublic("u1")).map((p) => [p.id, p.owner.userName])).toEqual([["p3", "bob"], ["p1", "alice"]]);
    await q.deletePlaylistRow("p3");
    expect((await q.findPlaylistsOwnedOrPublic("u1")).map((p) => p.id)).toEqual(["p1"]);
    expect(await q.findPlaylist("p3")).toBeNull();
  });
});
