import { beforeAll, describe, expect, it } from "vitest";
import { AUTH_HEADER, tokenFor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { bootTestServer } from "@/lib/testing/boot-test-server";
import { createUser, findUserByName } from "@/lib/users/users";
import { PUT as putPlayer } from "./player/[id]/route";
import { GET } from "./route";
import { PUT as putUser } from "./user/[id]/route";

let listener = "";
let admin = "";
let listenerId = "";

beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  const l = await createUser({ userName: "listener", password: "listener-secret-pw" });
  listenerId = l.id;
  listener = await tokenFor((await findUserByName("listener"))!);
  const a = (await findUserByName("admin"))!;
  admin = await tokenFor(a);
  await db().player.create({ data: { id: "p-listener", name: "web", userId: l.id, client: "Tessitura Web Player", userAgent: "Chromium" } });
  await db().player.create({ data: { id: "p-admin", name: "dsub", userId: a.id, client: "DSub", userAgent: "Android" } });
});

const auth = (token: string) => ({ [AUTH_HEADER]: `Bearer ${token}`, "content-type": "application/json" });
const put = (handler: typeof putPlayer, path: string, id: string, token: string, body: unknown) =>
  handler(new Request(`http://127.0.0.1/api/transcoding/${path}/${id}`, { method: "PUT", headers: auth(token), body: JSON.stringify(body) }), { params: Promise.resolve({ id }) });

describe("/api/transcoding", () => {
  it("shows a listener whether transcoding works and only their own players", async () => {
    const res = await GET(new Request("http://127.0.0.1/api/transcoding", { headers: auth(listener) }), { params: Promise.resolve({}) });
    const body = await res.json();
    expect(body).toMatchObject({ available: true, defaultFormat: "opus", userMaxBitRate: 0 });
    expect(body.formats.map((f: { format: string }) => f.format)).toEqual(["opus", "mp3", "aac"]);
    expect(body.players.map((p: { id: string }) => p.id)).toEqual(["p-listener"]);
  });

  it("lets a user cap their own player, not someone else's", async () => {
    const ok = await put(putPlayer, "player", "p-listener", listener, { maxBitRate: 96 });
    expect(ok.status).toBe(200);
    expect((await db().player.findUniqueOrThrow({ where: { id: "p-listener" } })).maxBitRate).toBe(96);
    expect((await put(putPlayer, "player", "p-admin", listener, { maxBitRate: 32 })).status).toBe(404);
    expect((await db().player.findUniqueOrThrow({ where: { id: "p-admin" } })).maxBitRate).toBe(0);
    expect((await put(putPlayer, "player", "p-listener", listener, { maxBitRate: -1 })).status).toBe(400);
    expect((await put(putPlayer, "player", "p-listener", admin, { maxBitRate: 0 })).status).toBe(200);
  });

  it("lets only admins set a user's cap", async () => {
    expect((await put(putUser, "user", listenerId, listener, { maxBitRate: 320 })).status).toBe(403);
    const ok = await put(putUser, "user", listenerId, admin, { maxBitRate: 128 });
    expect(await ok.json()).toEqual({ id: listenerId, maxBitRate: 128 });
    expect((await put(putUser, "user", "nobody", admin, { maxBitRate: 128 })).status).toBe(404);
  });
});
