import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";
import { AUTH_HEADER, tokenFor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { dispatchSubsonic } from "@/lib/subsonic/dispatch";
import { bootTestServer } from "@/lib/testing/boot-test-server";
import { createUser, findUserByName } from "@/lib/users/users";
import { PUT } from "./[id]/route";
import { GET as listKeys } from "./[id]/keys/route";
import { DELETE as revokeKey } from "./[id]/keys/[keyId]/route";

let adminToken = "";
beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  adminToken = await tokenFor((await findUserByName("admin"))!);
});

const call = <P extends Record<string, string>>(handler: (req: Request, ctx: { params: Promise<P> }) => Promise<Response>, method: string, params: P, body?: unknown, token = adminToken) =>
  handler(
    new Request("http://127.0.0.1/api/user", { method, headers: { [AUTH_HEADER]: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }),
    { params: Promise.resolve(params) },
  );

describe("PUT /api/user/:id", () => {
  it("changes only the fields it is given", async () => {
    const u = await createUser({ userName: "patchy", name: "Patchy", email: "patchy@example.org", password: "patchy-pass", isAdmin: true });
    const res = await call(PUT, "PUT", { id: u.id }, { name: "Renamed" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userName: "patchy", name: "Renamed", email: "patchy@example.org", isAdmin: true });
    const row = (await db().user.findUnique({ where: { id: u.id } }))!;
    expect(row.tokenGeneration).toBe(0);
  });
});

describe("admin API-key revocation", () => {
  it("an admin lists and revokes another user's key; the key stops working", async () => {
    const u = await createUser({ userName: "keyed", password: "keyed-pass" });
    const k = await createApiKey(u.id, "lost phone");
    const ping = async () => (await (await dispatchSubsonic("ping", new URLSearchParams({ apiKey: k.key, f: "json" }))).json())["subsonic-response"];
    expect((await ping()).status).toBe("ok");
    expect(await (await call(listKeys, "GET", { id: u.id })).json()).toEqual([expect.objectContaining({ id: k.id, name: "lost phone" })]);
    expect((await call(revokeKey, "DELETE", { id: u.id, keyId: k.id })).status).toBe(204);
    expect(await listApiKeys(u.id)).toEqual([]);
    expect((await ping()).error.code).toBe(44);
  });

  it("is refused to a non-admin, even for their own user id", async () => {
    const u = await createUser({ userName: "plain", password: "plain-pass" });
    const k = await createApiKey(u.id, "mine");
    const token = await tokenFor((await findUserByName("plain"))!);
    expect((await call(revokeKey, "DELETE", { id: u.id, keyId: k.id }, undefined, token)).status).toBe(403);
    expect((await call(listKeys, "GET", { id: u.id }, undefined, token)).status).toBe(403);
  });

  it("answers 404 for a key of another user", async () => {
    const a = await createUser({ userName: "owner-a", password: "owner-a-pass" });
    const b = await createUser({ userName: "owner-b", password: "owner-b-pass" });
    const k = await createApiKey(a.id, "a's key");
    expect((await call(revokeKey, "DELETE", { id: b.id, keyId: k.id })).status).toBe(404);
    expect(await listApiKeys(a.id)).toHaveLength(1);
  });
});
