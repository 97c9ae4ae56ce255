import { beforeAll, describe, expect, it } from "vitest";
import { bootTestServer } from "../testing/boot-test-server";
import * as keys from "./api-keys";
import { db } from "./client";
import * as props from "./properties";
import * as sessions from "./sessions";
import { insertUser } from "./users";

/** The sign-in tables: api-keys.ts, sessions.ts and properties.ts. */

beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  for (const id of ["u1", "u2"]) await insertUser({ id, userName: id, name: "", email: "", password: "x", isAdmin: false });
});

describe("api-keys", () => {
  it("insert, list oldest first, count, use (stamping lastUsedAt) and delete only the owner's key", async () => {
    await keys.insertApiKey({ id: "k1", userId: "u1", name: "first", keyHash: "h1" });
    await keys.insertApiKey({ id: "k2", userId: "u1", name: "second", keyHash: "h2" });
    // Distinct creation times, so the order is not left to ties.
    await db().apiKey.update({ where: { id: "k1" }, data: { createdAt: new Date("2020-01-01T00:00:00Z") } });
    expect((await keys.listApiKeyRows("u1")).map((k) => k.id)).toEqual(["k1", "k2"]);
    expect(await keys.countApiKeys("u1")).toBe(2);
    expect(await keys.countApiKeys("u2")).toBe(0);
    expect((await keys.useApiKey("h2"))?.id).toBe("u1");
    expect(await keys.useApiKey("unknown")).toBeNull();
    expect((await keys.listApiKeyRows("u1")).map((k) => k.lastUsedAt !== null)).toEqual([false, true]);
    expect(await keys.deleteApiKeyRow("u2", "k1")).toBe(false);
    expect(await keys.deleteApiKeyRow("u1", "k1")).toBe(true);
    expect(await keys.countApiKeys("u1")).toBe(1);
  });
});

describe("sessions", () => {
  it("insert, find, end, adopt once, and purge ended sessions", async () => {
    const now = new Date("2025-01-10T00:00:00Z");
    const end = new Date("2025-02-10T00:00:00Z");
    await sessions.insertSession({ id: "s1", userId: "u1", createdAt: now, expiresAt: end });
    expect((await sessions.findSession("s1"))?.expiresAt).toEqual(end);
    await sessions.endSessionAt("s1", now);
    expect((await sessions.findSession("s1"))?.expiresAt).toEqual(now);
    await sessions.endSessionAt("missing", now);
    const adopted = await sessions.findOrInsertSession({ id: "legacy-1", userId: "u2", createdAt: now, expiresAt: end });
    const again = await sessions.findOrInsertSession({ id: "legacy-1", userId: "u2", createdAt: now, expiresAt: new Date("2030-01-01T00:00:00Z") });
    expect([adopted.expiresAt, again.expiresAt]).toEqual([end, end]);
    await sessions.deleteSessionsEndedBefore(new Date("2025-01-20T00:00:00Z"));
    expect(await sessions.findSession("s1")).toBeNull();
    expect(await sessions.findSession("legacy-1")).not.toBeNull();
  });
});

describe("properties", () => {
  it("write in one go (scrubbed or not) and read back only the keys asked for", async () => {
    await props.writeProperties([["A", "1"], ["B", "2"]]);
    await props.writeProperties([["A", "3"]], { scrub: true });
    expect(await props.readProperties(["A", "B", "C"])).toEqual(new Map([["A", "3"], ["B", "2"]]));
  });
});
