import { describe, expect, it } from "vitest";
// @ts-expect-error -- Next.js ships its path-to-regexp copy (the one its headers() matching uses) untyped.
import { pathToRegexp as untypedPathToRegexp } from "next/dist/compiled/path-to-regexp";
import nextConfig from "../../next.config";
import { ENDPOINT_CSP } from "./headers";

/**
 * Next.js writes `headers()` entries first and then skips any route-handler header of the
 * same name (next/dist/server/send-response.js), and a later matching entry overrides an
 * earlier one. So the CSP a browser gets on a plugin page is the last matching entry's.
 */
const pathToRegexp = untypedPathToRegexp as (source: string) => RegExp;

async function effectiveHeader(path: string, name: string): Promise<string | undefined> {
  let value: string | undefined;
  for (const rule of await nextConfig.headers!()) {
    if (!pathToRegexp(rule.source).test(path)) continue;
    for (const h of rule.headers) if (h.key.toLowerCase() === name.toLowerCase()) value = h.value;
  }
  return value;
}

describe("plugin endpoint headers through next.config", () => {
  it("gives every plugin endpoint path the sandboxing CSP, not the app-wide one", async () => {
    for (const path of ["/ext/p", "/ext/p/", "/ext/p/page", "/rest/ext/p/a/b"]) expect(await effectiveHeader(path, "Content-Security-Policy"), path).toBe(ENDPOINT_CSP);
    expect(await effectiveHeader("/ext/p/page", "X-Content-Type-Options")).toBe("nosniff");
  });
  it("leaves the app's own pages on the app-wide policy", async () => {
    for (const path of ["/", "/rest/ping", "/external", "/admin/plugins"]) expect(await effectiveHeader(path, "Content-Security-Policy"), path).not.toBe(ENDPOINT_CSP);
  });
});
