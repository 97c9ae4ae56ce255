import { beforeAll, describe, expect, it } from "vitest";
import { findPlugin } from "../db/plugins";
import type { PluginManager } from "../plugins";
import { bootWithVariants } from "../testing/host-plugins";
import { UNAUTHENTICATED_WARNING } from "./endpoints";
import { pluginView } from "./views";

let manager: PluginManager;
const view = async (id: string) => pluginView((await findPlugin(id))!);

beforeAll(async () => {
  ({ manager } = await bootWithVariants(
    [
      { base: "test-http-endpoint" },
      { base: "test-http-endpoint", id: "ep-subsonic", manifest: (m) => void Object.assign(m.permissions!, { endpoints: { auth: "subsonic" }, users: {} }) },
      { base: "test-scheduler" },
    ],
    { ND_SCANNER_SCANONSTARTUP: "false", ND_BASEURL: "/music" },
  ));
  await manager.enable("test-http-endpoint");
});

describe("pluginView endpoints (admin detail page)", () => {
  it("lists an unauthenticated plugin's declared paths under both mounts behind BaseUrl, with the warning", async () => {
    expect((await view("test-http-endpoint")).endpoints).toEqual({
      auth: "none",
      authLabel: "Anyone: no login",
      warning: UNAUTHENTICATED_WARNING,
      reason: "Serves a test page",
      served: true,
      urls: ["/page", "/echo", "/headers", "/fail"].map((path) => ({
        path,
        url: `/music/ext/test-http-endpoint${path}`,
        restUrl: `/music/rest/ext/test-http-endpoint${path}`,
      })),
    });
  });

  it("shows the root of an authenticated plugin without paths, no warning, and not served while disabled", async () => {
    const e = (await view("ep-subsonic")).endpoints;
    expect(e).toMatchObject({ auth: "subsonic", warning: null, served: false, urls: [{ path: "", url: "/music/ext/ep-subsonic", restUrl: "/music/rest/ext/ep-subsonic" }] });
    expect(e?.authLabel).toMatch(/Subsonic credentials/);
    expect(e).not.toHaveProperty("reason");
  });

  it("is null for a plugin without the endpoints permission", async () => {
    expect((await view("test-scheduler")).endpoints).toBeNull();
  });
});
