import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { setUserMaxBitRate } from "../media/transcode/bit-rate-limits";
import { dispatchSubsonic } from "../subsonic/dispatch";
import { bootTestServer } from "../testing/boot-test-server";
import { createUser, deleteUser, findUserByName, updateUser } from "../users/users";
import { updateOwnAccount } from "../users/account";
import { createApiKey, deleteApiKey } from "./api-keys";
import { ENTRY_TTL_MS, userCredentials } from "./credential-cache";
import { AUTH_HEADER, authenticateRequest, login } from "./session";

/**
 * The Subsonic credential cache (lib/auth/credential-cache): every change that matters for
 * authentication or for what a request may do is seen by the very next request, while the
 * cache holds (each test first authenticates, so the entry is warm, then changes the user).
 */
let adminId = "";
beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  adminId = (await findUserByName("admin"))!.id;
});

type Doc = { status: string; error?: { code: number; message: string } };
const call = async (method: string, params: Record<string, string>): Promise<Doc> =>
  (await (await dispatchSubsonic(method, new URLSearchParams({ v: "1.16.1", c: "t", f: "json", ...params }))).json())["subsonic-response"];
const token = (u: string, password: string, s = "salt42") => ({ u, t: createHash("md5").update(password + s).digest("hex"), s });
const ping = (params: Record<string, string>) => call("ping", params);

describe("Subsonic credential cache", () => {
  it("is in use: a write that bypasses lib/db is not seen until the entry expires", async () => {
    const u = await createUser({ userName: "cached", password: "cached-pass-1" });
    expect((await ping({ u: "cached", p: "cached-pass-1" })).status).toBe("ok");
    // A raw write (no generation bump), as another process on the same database would make.
    await db().user.update({ where: { id: u.id }, data: { name: "Renamed Raw" } });
    expect((await userCredentials("cached"))!.user.name).toBe("");
    expect((await userCredentials("cached", Date.now() + ENTRY_TTL_MS + 1))!.user.name).toBe("Renamed Raw");
  });

  it("password change (admin API): the old password stops working at once, the new one works", async () => {
    const u = await createUser({ userName: "pwchange", password: "old-pass-123" });
    expect((await ping({ u: "pwchange", p: "old-pass-123" })).status).toBe("ok");
    expect((await ping(token("pwchange", "old-pass-123"))).status).toBe("ok");
    await updateUser(u.id, { password: "new-pass-456" }, { id: adminId });
    expect((await ping({ u: "pwchange", p: "old-pass-123" })).error?.code).toBe(40);
    expect((await ping(token("pwchange", "old-pass-123"))).error?.code).toBe(40);
    expect((await ping({ u: "pwchange", p: "new-pass-456" })).status).toBe("ok");
    expect((await ping(token("pwchange", "new-pass-456", "other-salt"))).status).toBe("ok");
  });

  it("password change (own account): the old password stops working at once", async () => {
    const u = await createUser({ userName: "selfchange", password: "self-old-pass" });
    expect((await ping({ u: "selfchange", p: "self-old-pass" })).status).toBe("ok");
    const { token: t } = await login("selfchange", "self-old-pass", "192.0.2.1");
    const session = (await authenticateRequest(new Request("http://x/api/account", { headers: { [AUTH_HEADER]: `Bearer ${t}` } })))!;
    expect(session.user.id).toBe(u.id);
    await updateOwnAccount(session, { currentPassword: "self-old-pass", password: "self-new-pass" }, "192.0.2.1");
    expect((await ping({ u: "selfchange", p: "self-old-pass" })).error?.code).toBe(40);
    expect((await ping({ u: "selfchange", p: "self-new-pass" })).status).toBe("ok");
  });

  it("user deleted: their credentials and API keys stop working at once", async () => {
    const u = await createUser({ userName: "leaving", password: "leaving-pass" });
    const k = await createApiKey(u.id, "phone");
    expect((await ping({ u: "leaving", p: "leaving-pass" })).status).toBe("ok");
    expect((await ping({ apiKey: k.key })).status).toBe("ok");
    await deleteUser(u.id, { id: adminId });
    expect((await ping({ u: "leaving", p: "leaving-pass" })).error?.code).toBe(40);
    expect((await ping({ apiKey: k.key })).error?.code).toBe(44);
  });

  it("role change: a demoted admin loses admin methods on the next request", async () => {
    const u = await createUser({ userName: "demoted", password: "demoted-pass", isAdmin: true });
    expect((await call("getUsers", { u: "demoted", p: "demoted-pass" })).status).toBe("ok");
    await updateUser(u.id, { isAdmin: false }, { id: adminId });
    expect((await call("getUsers", { u: "demoted", p: "demoted-pass" })).error?.code).toBe(50);
    await updateUser(u.id, { isAdmin: true }, { id: adminId });
    expect((await call("getUsers", { u: "demoted", p: "demoted-pass" })).status).toBe("ok");
  });

  it("rename: the old user name stops working at once", async () => {
    const u = await createUser({ userName: "oldname", password: "rename-pass-1" });
    expect((await ping({ u: "oldname", p: "rename-pass-1" })).status).toBe("ok");
    await updateUser(u.id, { userName: "newname" }, { id: adminId });
    expect((await ping({ u: "oldname", p: "rename-pass-1" })).error?.code).toBe(40);
    expect((await ping({ u: "newname", p: "rename-pass-1" })).status).toBe("ok");
  });

  it("API key revoked: it stops working at once, though it was just used", async () => {
    const u = await createUser({ userName: "revoker", password: "revoker-pass" });
    const k = await createApiKey(u.id, "laptop");
    expect((await ping({ apiKey: k.key })).status).toBe("ok");
    await deleteApiKey(u.id, k.id);
    expect((await ping({ apiKey: k.key })).error?.code).toBe(44);
  });

  it("API key created: works at once next to the user's cached password", async () => {
    const u = await createUser({ userName: "newkey", password: "newkey-pass" });
    expect((await ping({ u: "newkey", p: "newkey-pass" })).status).toBe("ok");
    const k = await createApiKey(u.id, "tablet");
    expect((await ping({ apiKey: k.key })).status).toBe("ok");
    expect((await ping({ u: "newkey", p: "newkey-pass" })).status).toBe("ok");
  });

  it("user bit-rate cap changed: the next request sees the new cap", async () => {
    const u = await createUser({ userName: "capped", password: "capped-pass" });
    expect((await userCredentials("capped"))!.user.maxBitRate).toBe(0);
    await setUserMaxBitRate(u.id, 96);
    expect((await userCredentials("capped"))!.user.maxBitRate).toBe(96);
  });
});
