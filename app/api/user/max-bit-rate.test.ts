import { beforeAll, describe, expect, it } from "vitest";
import { AUTH_HEADER, tokenFor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { bootTestServer } from "@/lib/testing/boot-test-server";
import { findUserByName } from "@/lib/users/users";
import { PUT as putAccount } from "../account/route";
import { GET as getTranscoding } from "../transcoding/route";
import { PUT } from "./[id]/route";
import { GET as list, POST } from "./route";

// Issue #17 point 4: the admin user form saves a user's stream cap with the rest of the user (one PUT).
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

const storedCap = async (id: string) => (await db().user.findUniqueOrThrow({ where: { id } })).maxBitRate;

describe("maxBitRate on /api/user", () => {
  it("is set on create, shown in the list, changed by PUT with the other fields, and left alone by a PUT without it", async () => {
    const created = await call(POST, "POST", {}, { userName: "capped", password: "capped-pass", maxBitRate: 96 });
    expect(created.status).toBe(201);
    const { id, maxBitRate } = await created.json();
    expect(maxBitRate).toBe(96);
    expect(await storedCap(id)).toBe(96);

    const listed = (await (await call(list, "GET", {})).json()) as { id: string; maxBitRate: number }[];
    expect(listed.find((u) => u.id === id)?.maxBitRate).toBe(96);

    const res = await call(PUT, "PUT", { id }, { name: "Capped", maxBitRate: 64 });
    expect(await res.json()).toMatchObject({ name: "Capped", maxBitRate: 64 });
    expect(await storedCap(id)).toBe(64);

    await call(PUT, "PUT", { id }, { name: "Still capped" });
    expect(await storedCap(id)).toBe(64);

    // The cap is what the transcoding API (and so `stream`) sees for that user.
    const token = await tokenFor((await findUserByName("capped"))!);
    expect(await (await call(getTranscoding, "GET", {}, undefined, token)).json()).toMatchObject({ userMaxBitRate: 64 });

    await call(PUT, "PUT", { id }, { maxBitRate: 0 });
    expect(await storedCap(id)).toBe(0);
  });

  it("defaults to no cap and refuses values outside 0..2000 with a field message", async () => {
    const created = await (await call(POST, "POST", {}, { userName: "uncapped", password: "uncapped-pass" })).json();
    expect(created.maxBitRate).toBe(0);
    for (const bad of [-1, 2001, 12.5, "128"]) {
      const res = await call(PUT, "PUT", { id: created.id }, { maxBitRate: bad });
      expect(res.status).toBe(400);
      expect((await res.json()).fields).toHaveProperty("maxBitRate");
    }
    expect(await storedCap(created.id)).toBe(0);
  });

  it("cannot be set by a user on their own account", async () => {
    const me = (await findUserByName("uncapped"))!;
    const res = await call(putAccount, "PUT", {}, { name: "Sneaky", maxBitRate: 320 }, await tokenFor(me));
    expect(res.status).toBe(200);
    expect(await storedCap(me.id)).toBe(0);
  });

  it("only admins may set it", async () => {
    const me = (await findUserByName("uncapped"))!;
    const res = await call(PUT, "PUT", { id: me.id }, { maxBitRate: 320 }, await tokenFor(me));
    expect(res.status).toBe(403);
    expect(await storedCap(me.id)).toBe(0);
  });
});
