import { beforeAll, describe, expect, it } from "vitest";
import { AUTH_HEADER, tokenFor } from "@/lib/auth/session";
import { dispatchSubsonic } from "@/lib/subsonic/dispatch";
import { bootTestServer } from "@/lib/testing/boot-test-server";
import { createUser, findUserByName } from "@/lib/users/users";
import { GET } from "./route";

beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
});

const get = (headers: Record<string, string> = {}) => GET(new Request("http://127.0.0.1/api/player/session", { headers }), { params: Promise.resolve({}) });

describe("GET /api/player/session", () => {
  it("gives a signed-in listener Subsonic salt+token credentials that work, and never the password", async () => {
    await createUser({ userName: "listener", password: "listener-secret-pw" });
    const user = (await findUserByName("listener"))!;
    const res = await get({ [AUTH_HEADER]: `Bearer ${await tokenFor(user)}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    expect(text).not.toContain("listener-secret-pw");
    const body = JSON.parse(text);
    expect(body).toMatchObject({ username: "listener", client: "Tessitura Web Player", version: "1.16.1" });
    expect(body.salt).toMatch(/^[0-9a-f]{12}$/);
    const ping = await dispatchSubsonic("ping", new URLSearchParams({ u: body.username, t: body.token, s: body.salt, v: body.version, c: body.client, f: "json" }));
    expect((await ping.json())["subsonic-response"].status).toBe("ok");
    // A fresh salt every time.
    const again = await (await get({ [AUTH_HEADER]: `Bearer ${await tokenFor(user)}` })).json();
    expect(again.salt).not.toBe(body.salt);
  });

  it("is refused without a session", async () => {
    expect((await get()).status).toBe(401);
  });
});
