import { beforeAll, describe, expect, it } from "vitest";
import { AUTH_HEADER, login, SESSION_COOKIE } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { dispatchSubsonic } from "@/lib/subsonic/dispatch";
import { bootTestServer } from "@/lib/testing/boot-test-server";
import { createUser } from "@/lib/users/users";
import { GET, PUT } from "./route";

/** PUT /api/account: own name, e-mail and password (issue #17 account page). */
beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
});

const call = (handler: typeof GET, method: string, token: string, body?: unknown) =>
  handler(
    new Request("http://127.0.0.1/api/account", {
      method,
      headers: { [AUTH_HEADER]: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );

const subsonicPing = async (u: string, p: string) =>
  (await (await dispatchSubsonic("ping", new URLSearchParams({ u, p, v: "1.16.1", c: "test", f: "json" }))).json())["subsonic-response"];

async function userWithTwoSessions(userName: string, password: string) {
  await createUser({ userName, password });
  const here = (await login(userName, password, "192.0.2.10")).token;
  const elsewhere = (await login(userName, password, "192.0.2.11")).token;
  return { here, elsewhere };
}

describe("PUT /api/account", () => {
  it("changes the display name and e-mail, and no session is signed out", async () => {
    const { here, elsewhere } = await userWithTwoSessions("profile", "profile-pass");
    const res = await call(PUT, "PUT", here, { name: "Pro File", email: "pro@example.org" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userName: "profile", name: "Pro File", email: "pro@example.org" });
    expect((await call(GET, "GET", elsewhere)).status).toBe(200);
    expect((await call(PUT, "PUT", here, { email: "not an address" })).status).toBe(400);
  });

  it("refuses a password change without the current password, or with a wrong one, and keeps the old password", async () => {
    const { here } = await userWithTwoSessions("careful", "careful-pass");
    const missing = await call(PUT, "PUT", here, { password: "new-pass-1" });
    expect(missing.status).toBe(400);
    expect((await missing.json()).fields.currentPassword).toMatch(/required/);
    const wrong = await call(PUT, "PUT", here, { password: "new-pass-1", currentPassword: "guess" });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: "The current password is not correct", fields: { currentPassword: "not correct" } });
    expect((await subsonicPing("careful", "careful-pass")).status).toBe("ok");
    expect((await call(GET, "GET", here)).status).toBe(200);
  });

  it("changes the password: this session continues with a new token, the other sessions and the old Subsonic password stop working", async () => {
    const { here, elsewhere } = await userWithTwoSessions("mover", "mover-pass");
    const res = await call(PUT, "PUT", here, { currentPassword: "mover-pass", password: "mover-new-pass" });
    expect(res.status).toBe(200);
    const fresh = res.headers.get(AUTH_HEADER)!;
    expect(fresh).toBeTruthy();
    expect(res.headers.get("set-cookie")).toContain(`${SESSION_COOKIE}=${fresh}`);
    expect((await call(GET, "GET", fresh)).status).toBe(200);
    expect((await call(GET, "GET", elsewhere)).status).toBe(401);
    expect((await call(GET, "GET", here)).status).toBe(401);
    expect((await subsonicPing("mover", "mover-pass")).error.code).toBe(40);
    expect((await subsonicPing("mover", "mover-new-pass")).status).toBe("ok");
    await expect(login("mover", "mover-new-pass", "192.0.2.12")).resolves.toMatchObject({ user: { userName: "mover" } });
  });

  it("throttles guesses of the current password like logins", async () => {
    const { here } = await userWithTwoSessions("guessed", "guessed-pass");
    let status = 0;
    for (let i = 0; i < 20 && status !== 429; i++) status = (await call(PUT, "PUT", here, { currentPassword: `guess-${i}`, password: "taken-over" })).status;
    expect(status).toBe(429);
    // Even the right password is refused while throttled.
    expect((await call(PUT, "PUT", here, { currentPassword: "guessed-pass", password: "taken-over" })).status).toBe(429);
    const row = await db().user.findUniqueOrThrow({ where: { userName: "guessed" } });
    expect(row.tokenGeneration).toBe(0);
  });
});
