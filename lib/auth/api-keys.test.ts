import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { dispatchSubsonic } from "../subsonic/dispatch";
import { bootTestServer } from "../testing/boot-test-server";
import { createUser } from "../users/users";
import { createApiKey, deleteApiKey, listApiKeys } from "./api-keys";

let userId = "";
beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  userId = (await createUser({ userName: "keyholder", password: "keyholder-pass" })).id;
});

const ping = async (params: Record<string, string>) => (await (await dispatchSubsonic("ping", new URLSearchParams({ v: "1.16.1", c: "t", f: "json", ...params }))).json())["subsonic-response"];

describe("API keys", () => {
  it("creates a key shown once, stores only its hash, and authenticates Subsonic requests with it", async () => {
    const k = await createApiKey(userId, "Phone");
    expect(k.key).toMatch(/^tess_[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify(await db().apiKey.findMany())).not.toContain(k.key);
    expect(await listApiKeys(userId)).toEqual([expect.objectContaining({ name: "Phone", lastUsedAt: null })]);
    expect((await ping({ apiKey: k.key })).status).toBe("ok");
    expect((await listApiKeys(userId))[0].lastUsedAt).not.toBeNull();
  });

  it("revokes a key: it stops working; another user cannot revoke it", async () => {
    const k = await createApiKey(userId, "Laptop");
    const other = (await createUser({ userName: "other", password: "other-pass-12" })).id;
    await expect(deleteApiKey(other, k.id)).rejects.toThrow("API key not found");
    await deleteApiKey(userId, k.id);
    expect((await ping({ apiKey: k.key })).error.code).toBe(44);
  });
});
