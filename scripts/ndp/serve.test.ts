import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENDPOINT_CSP } from "@/lib/endpoints/headers";
import { runNdp, startServingNdp } from "./cli-process";

// `ndp run --serve`: a plugin's HTTP endpoint served locally as the server mounts it, through
// the real framing adapter, with the server's forced headers and 404/500 answers.
const root = path.resolve(import.meta.dirname, "../..");
const built = (name: string) => path.join(root, "build/plugins", `${name}.ndp`);

describe("ndp run --serve", () => {
  it("serves webhook-receiver at /ext/<id>/ and /rest/ext/<id>/ and reports each request", async () => {
    const ndp = await startServingNdp(["run", built("webhook-receiver"), "--serve", "0", "--config", "secret=s3cret-value", "--json"], { cwd: root });
    try {
      expect(ndp.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ext\/webhook-receiver\/$/);
      const posted = await fetch(`${ndp.url}hook`, { method: "POST", headers: { "X-Webhook-Secret": "s3cret-value", "Content-Type": "application/json" }, body: '{"event":"scan"}' });
      expect(posted.status).toBe(204);
      expect(posted.headers.get("content-security-policy")).toBe(ENDPOINT_CSP);
      const rest = ndp.url.replace("/ext/", "/rest/ext/");
      const latest = await fetch(`${rest}latest?secret=s3cret-value`);
      expect(await latest.json()).toMatchObject({ contentType: "application/json", body: '{"event":"scan"}' });
      expect((await fetch(`${ndp.url}latest`)).status).toBe(401);
      expect((await fetch(ndp.url.replace("webhook-receiver", "someone-else"))).status).toBe(404);
    } finally {
      const r = await ndp.stop();
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.served.requests.map((q: { method: string; url: string; status: number }) => `${q.method} ${q.url} ${q.status}`)).toEqual([
        "POST /ext/webhook-receiver/hook 204",
        "GET /rest/ext/webhook-receiver/latest?secret=s3cret-value 200",
        "GET /ext/webhook-receiver/latest 401",
        "GET /ext/someone-else/ 404",
      ]);
    }
  }, 60_000);

  it("answers a bare 500 when the plugin fails, with the reason only in the report", async () => {
    // test-http-endpoint's /fail route sets an error (auth none).
    const ndp = await startServingNdp(["run", built("test-http-endpoint"), "--serve", "0", "--json"], { cwd: root });
    let status = 0;
    let body = "";
    try {
      const res = await fetch(`${ndp.url}fail`);
      status = res.status;
      body = await res.text();
    } finally {
      const r = await ndp.stop();
      const report = JSON.parse(r.stdout);
      expect(status).toBe(500);
      expect(body).toBe("Internal Server Error\n");
      expect(report.served.requests[0]).toMatchObject({ status: 500, error: expect.stringContaining("plugin error") });
    }
  }, 60_000);

  it("refuses to serve a plugin without an HTTP endpoint", async () => {
    const r = await runNdp(["run", built("recently-added"), "--serve", "0"], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--serve: the plugin does not export nd_http_handle_request");
  }, 60_000);
});
