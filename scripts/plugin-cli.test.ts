import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, runPluginCli as cli } from "./plugin-cli/cli-process";

/**
 * Runs the real CLI (`node scripts/plugin-cli.mjs`) as a child process: offline against
 * a temporary DataFolder holding real packages from build/plugins, and against a small
 * HTTP server that answers like Tessitura's /auth/login and /api/plugin.
 */

const root = path.resolve(import.meta.dirname, "..");
const built = path.join(root, "build/plugins");

describe("offline: no server answers, the CLI works on the DataFolder", () => {
  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-cli-data-"));
  const pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-cli-plugins-"));
  const install = (name: string) => copyFileSync(path.join(built, `${name}.ndp`), path.join(pluginsFolder, `${name}.ndp`));
  let env: Record<string, string>;
  const run = (...args: string[]) => cli(args, env);

  beforeAll(async () => {
    for (const name of ["test-config", "test-scrobbler", "wat-missing-import"]) install(name);
    writeFileSync(path.join(pluginsFolder, "broken.ndp"), "this is not a zip");
    env = { ND_DATAFOLDER: dataFolder, ND_PLUGINS_FOLDER: pluginsFolder, ND_PORT: String(await freePort()) };
  });

  it("rescan adds the folder's packages disabled and reports the invalid ones", async () => {
    const r = await run("rescan", "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("No server answers at http://127.0.0.1:");
    expect(JSON.parse(r.stdout)).toEqual({
      added: ["test-config", "test-scrobbler", "wat-missing-import"],
      changed: [],
      removed: [],
      invalid: [{ file: "broken.ndp", error: "opening package: zip: not a valid zip file" }],
    });
  });

  it("list shows every plugin with its state, as a table and as JSON", async () => {
    const table = await run("list", "--offline");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+VERSION\s+STATUS\s+UPDATED$/m);
    expect(table.stdout).toMatch(/^test-config\s+Test Config\s+1\.0\.0\s+disabled\s/m);
    const json = JSON.parse((await run("list", "--offline", "--json")).stdout);
    expect(json.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([
      ["test-config", "disabled"],
      ["test-scrobbler", "disabled"],
      ["wat-missing-import", "disabled"],
    ]);
  });

  it("info shows the manifest, the permissions with their reasons and why it cannot be enabled", async () => {
    const r = await run("info", "test-scrobbler", "--offline");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name\s+Test Scrobbler$/m);
    expect(r.stdout).toMatch(/^Cannot enable\s+users permission requires configuration/m);
    expect(r.stdout).toContain("users: Scrobblers must declare which users they act for");
    const missing = await run("info", "nope", "--offline");
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining("error: Plugin not found") });
  });

  it("enable is refused by the users gate, and allowed once all users are selected", async () => {
    const refused = await run("enable", "test-scrobbler", "--offline");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error: users permission requires configuration: select users or enable 'all users' access");

    const unknown = await run("users", "test-scrobbler", "--set", "nobody", "--offline");
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('unknown user "nobody"') });

    expect((await run("users", "test-scrobbler", "--all", "--offline")).stdout).toContain("test-scrobbler: users set to all users");
    const enabled = await run("enable", "test-scrobbler", "--offline", "--json");
    expect(enabled.code).toBe(0);
    expect(JSON.parse(enabled.stdout)).toMatchObject({ id: "test-scrobbler", enabled: true, status: "enabled", allUsers: true });
  });

  it("enable of a package that does not load stores the error and fails", async () => {
    const r = await run("enable", "wat-missing-import", "--offline");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: creating instance: .*kvstore_get/);
    const listed = await run("list", "--offline");
    expect(listed.stdout).toMatch(/^wat-missing-import\s.*\serror\s/m);
    expect(listed.stdout).toMatch(/^ {2}wat-missing-import: creating instance: /m);
  });

  it("config set rejects invalid JSON and schema violations, and saves a valid config", async () => {
    const invalid = await run("config", "set", "test-config", "{not json", "--offline");
    expect(invalid).toMatchObject({ code: 1, stderr: expect.stringContaining("error: Invalid JSON in config field") });
    const schema = await run("config", "set", "test-config", '{"greeting":"x"}', "--offline");
    expect(schema.code).toBe(1);
    expect(schema.stderr).toContain("apiKey: must have required property 'apiKey'");
    expect(schema.stderr).toContain("greeting: must NOT have fewer than 2 characters");

    const file = path.join(dataFolder, "config.json");
    writeFileSync(file, '{"apiKey":"k-123","greeting":"Hi there"}\n');
    const saved = await run("config", "set", "test-config", `@${file}`, "--offline");
    expect(saved).toMatchObject({ code: 0, stdout: "test-config: configuration saved\n" });
    // The API key is a password field: `config get` shows it masked, like the API and the admin page.
    expect(JSON.parse((await run("config", "get", "test-config", "--offline", "--json")).stdout)).toEqual({ apiKey: expect.stringMatching(/^••••••••#/), greeting: "Hi there" });
  });

  it("a plugin without a config schema takes no config", async () => {
    const r = await run("config", "set", "test-scrobbler", "{}", "--offline");
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining("plugin has no configurable options") });
  });

  it("clearing the users of an enabled plugin disables it; disable disables", async () => {
    const none = await run("users", "test-scrobbler", "--none", "--offline");
    expect(none.stdout).toContain("test-scrobbler is now disabled: users permission requires configuration");
    await run("users", "test-scrobbler", "--all", "--offline");
    expect((await run("enable", "test-scrobbler", "--offline")).code).toBe(0);
    const r = await run("disable", "test-scrobbler", "--offline", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ enabled: false, status: "disabled", allUsers: true });
  });

  it("libraries saves ids and write access, noting a plugin that does not declare the permission", async () => {
    const r = await run("libraries", "test-config", "--set", "1,2", "--write-access", "--offline", "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("test-config does not declare the library permission");
    expect(JSON.parse(r.stdout)).toMatchObject({ libraries: [1, 2], allLibraries: false, allowWriteAccess: true });
    expect((await run("libraries", "test-config", "--offline")).stdout).toBe("1, 2 (write access)\n");
  });

  it("rescan picks up a new file", async () => {
    install("test-lyrics");
    const r = await run("rescan", "--offline");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Added: test-lyrics");
    expect((await run("list", "--offline")).stdout).toMatch(/^test-lyrics\s/m);
  });

  it("a wrong command line exits 2", async () => {
    expect((await run("frobnicate")).code).toBe(2);
    expect((await run("users", "x", "--all", "--none")).code).toBe(2);
    expect((await run("enable")).code).toBe(2);
    expect((await run("libraries", "x", "--set", "one")).code).toBe(2);
    const help = await run("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("verify <file.ndp>");
  });
});

describe("verify: the load checks of a package file, without a database", () => {
  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-cli-verify-"));
  const run = (...args: string[]) => cli(args, { ND_DATAFOLDER: dataFolder });

  it("shows what an admin sees of a good package", async () => {
    const r = await run("verify", path.join(built, "test-metadata-agent.ndp"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name\s+Test Metadata Agent$/m);
    expect(r.stdout).toMatch(/^Author\s+Tessitura Test Suite$/m);
    expect(r.stdout).toMatch(/^Capabilities\s+MetadataAgent$/m);
    expect(r.stdout).toContain("http: To fetch metadata from the (fake) test service");
    expect(r.stdout).toContain("hosts: test.example.com");
    expect(r.stdout).toContain("Result: OK");
  });

  it("reports capability rule 7 for a scrobbler without the users permission", async () => {
    const r = await run("verify", path.join(built, "wat-scrobbler-no-users.ndp"), "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      id: "wat-scrobbler-no-users",
      manifest: { name: "WAT Scrobbler Without Users" },
      capabilities: null,
      errors: ["manifest validation: scrobbler capability requires 'users' permission to be declared in manifest"],
    });
  });

  it("lists the enable gates of a good package that needs users", async () => {
    const r = await run("verify", path.join(built, "test-scrobbler.ndp"), "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, capabilities: ["Scrobbler"], notes: ["select users (or 'all users') before enabling"] });
  });

  it("reports a file that is not a package, and never creates a database", async () => {
    const file = path.join(dataFolder, "not-a-zip.ndp");
    writeFileSync(file, "hello");
    const r = await run("verify", file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("- opening package: zip: not a valid zip file");
    expect(r.stdout).toContain("Result: FAILED");
    expect(readdirSync(dataFolder)).toEqual(["not-a-zip.ndp"]);
  });
});

describe("against a running server: the CLI goes through the REST API", () => {
  const manifest = JSON.stringify({ author: "A", name: "Test Scrobbler", permissions: { users: { reason: "acts for users" } }, version: "1.0.0" });
  const row = { id: "test-scrobbler", path: "/srv/plugins/test-scrobbler.ndp", manifest, allLibraries: false, allowWriteAccess: false, enabled: false, sha256: "abc", createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z" } as Record<string, unknown>;
  const requests: { method: string; url: string; auth: string; body: string }[] = [];
  let server: Server;
  let url = "";
  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-cli-remote-"));

  const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "Content-Type": typeof body === "string" ? "text/plain" : "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };

  /** Answers like Tessitura: tokens t1 then (sliding refresh) t2; the users gate on enable. */
  async function handle(req: IncomingMessage, res: ServerResponse) {
    let body = "";
    for await (const chunk of req) body += chunk;
    const auth = String(req.headers["x-nd-authorization"] ?? "");
    requests.push({ method: req.method!, url: req.url!, auth, body });
    if (req.url === "/auth/login" && req.method === "POST") {
      const { username, password } = JSON.parse(body);
      if (username === "admin" && password === "pw") return reply(res, 200, { id: "u0", username, isAdmin: true, token: "t1" });
      return reply(res, 401, { error: "invalid username or password" });
    }
    if (auth !== "Bearer t1" && auth !== "Bearer t2") return reply(res, 401, { error: "not authenticated" });
    const refreshed = { "x-nd-authorization": "t2" };
    if (req.url === "/api/user") return reply(res, 200, [{ id: "u1", userName: "alice" }], refreshed);
    if (req.url?.startsWith("/api/plugin?")) return reply(res, 200, [row], refreshed);
    if (req.url === "/api/plugin/rescan" && req.method === "POST") return reply(res, 200, "", refreshed);
    if (req.url === "/api/plugin/test-scrobbler" && req.method === "GET") return reply(res, 200, row, refreshed);
    if (req.url === "/api/plugin/test-scrobbler" && req.method === "PUT") {
      const patch = JSON.parse(body);
      if (patch.enabled === true && !row.allUsers && !row.users)
        return reply(res, 422, { error: "users permission requires configuration: select users or enable 'all users' access" });
      Object.assign(row, patch);
      return reply(res, 200, row, refreshed);
    }
    return reply(res, 404, { error: "Plugin not found" });
  }

  beforeAll(async () => {
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it("signs in with POST /auth/login and lists through GET /api/plugin", async () => {
    const r = await cli(["list", "--server", url, "--user", "admin", "--password", "pw"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^test-scrobbler\s+Test Scrobbler\s+1\.0\.0\s+disabled\s/m);
    expect(requests.find((q) => q.url !== "/auth/login")?.auth).toBe("Bearer t1");
  });

  it("finds the server at the configured Port, takes credentials from the environment and never opens the database", async () => {
    const port = new URL(url).port;
    const r = await cli(["info", "test-scrobbler", "--json"], { ND_PORT: port, ND_DATAFOLDER: dataFolder, ND_CLI_USER: "admin", ND_CLI_PASSWORD: "pw" });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: "test-scrobbler", gate: expect.stringContaining("users permission requires configuration") });
    expect(existsSync(path.join(dataFolder, "tessitura.db"))).toBe(false);
  });

  it("refuses to work offline while a server answers without credentials", async () => {
    const r = await cli(["disable", "test-scrobbler"], { ND_PORT: new URL(url).port, ND_DATAFOLDER: dataFolder });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: a server is running at ${url}: sign in with --user and --password`);
    expect(existsSync(path.join(dataFolder, "tessitura.db"))).toBe(false);
  });

  it("shows the server's messages: a wrong password, a refused enable", async () => {
    const denied = await cli(["list", "--server", url, "--user", "admin", "--password", "nope"]);
    expect(denied).toMatchObject({ code: 1, stderr: expect.stringContaining(`error: signing in to ${url} as admin: invalid username or password`) });
    const refused = await cli(["enable", "test-scrobbler", "--server", url, "--user", "admin", "--password", "pw"]);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining("error: users permission requires configuration") });
  });

  it("sends user ids for user names, uses the refreshed token, then enables", async () => {
    requests.length = 0;
    const r = await cli(["users", "test-scrobbler", "--set", "alice", "--server", url, "--user", "admin", "--password", "pw"]);
    expect(r).toMatchObject({ code: 0, stdout: "test-scrobbler: users set to alice\n" });
    const put = requests.find((q) => q.method === "PUT")!;
    expect(JSON.parse(put.body)).toEqual({ users: '["u1"]', allUsers: false });
    expect(put.auth).toBe("Bearer t2");
    const enabled = await cli(["enable", "test-scrobbler", "--server", url, "--user", "admin", "--password", "pw"]);
    expect(enabled).toMatchObject({ code: 0, stdout: "test-scrobbler: enabled\n" });
  });

  it("rescans through POST /api/plugin/rescan", async () => {
    const r = await cli(["rescan", "--server", url, "--user", "admin", "--password", "pw"]);
    expect(r).toMatchObject({ code: 0, stdout: "No changes.\n" });
    expect(requests.some((q) => q.method === "POST" && q.url === "/api/plugin/rescan")).toBe(true);
  });

  it("fails when the named server does not answer", async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const r = await cli(["list", "--server", dead, "--user", "admin", "--password", "pw"]);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining(`error: no server answers at ${dead}`) });
  });
});

describe("against the real API route handlers of a booted server", () => {
  const pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-cli-served-"));
  let server: Server;
  let login: string[] = [];

  /** The app's own handlers behind node:http, as `next start` would route them. */
  async function serveApi(): Promise<Server> {
    const routes: [string, RegExp, (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>][] = [
      ["POST", /^\/auth\/login$/, (await import("@/app/auth/login/route")).POST],
      ["GET", /^\/api\/user$/, (await import("@/app/api/user/route")).GET],
      ["GET", /^\/api\/plugin$/, (await import("@/app/api/plugin/route")).GET],
      ["POST", /^\/api\/plugin\/rescan$/, (await import("@/app/api/plugin/rescan/route")).POST],
      ["GET", /^\/api\/plugin\/(?<id>[^/]+)$/, (await import("@/app/api/plugin/[id]/route")).GET as never],
      ["PUT", /^\/api\/plugin\/(?<id>[^/]+)$/, (await import("@/app/api/plugin/[id]/route")).PUT as never],
    ];
    return createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const url = new URL(req.url!, `http://${req.headers.host}`);
      const match = routes.map(([m, re, h]) => ({ m, h, found: re.exec(url.pathname) })).find((r) => r.m === req.method && r.found);
      if (!match) return void res.writeHead(404).end();
      const headers = Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : []));
      const request = new Request(url, { method: req.method, headers, body: req.method === "GET" ? undefined : body });
      const params = Object.fromEntries(Object.entries(match.found!.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      const response = await match.h(request, { params: Promise.resolve(params) });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  }

  beforeAll(async () => {
    copyFileSync(path.join(built, "test-scrobbler.ndp"), path.join(pluginsFolder, "test-scrobbler.ndp"));
    const { bootTestServer } = await import("@/lib/testing/boot-test-server");
    const { adminPassword } = await bootTestServer({ ND_PLUGINS_FOLDER: pluginsFolder });
    server = await serveApi();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    login = ["--server", `http://127.0.0.1:${(server.address() as AddressInfo).port}`, "--user", "admin", "--password", adminPassword];
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it("the server's own manager applies the gate, the users save and the load", async () => {
    const { pluginManager } = await import("@/lib/plugins");
    expect((await cli(["list", ...login])).stdout).toMatch(/^test-scrobbler\s+Test Scrobbler\s+1\.0\.0\s+disabled\s/m);
    const refused = await cli(["enable", "test-scrobbler", ...login]);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining("error: users permission requires configuration") });
    expect((await cli(["users", "test-scrobbler", "--set", "admin", ...login])).stdout).toBe("test-scrobbler: users set to admin\n");
    expect((await cli(["enable", "test-scrobbler", ...login])).code).toBe(0);
    expect(pluginManager()!.loadedPlugin("test-scrobbler")?.capabilities).toEqual(["Scrobbler"]);
    const bad = await cli(["config", "set", "test-scrobbler", "{}", ...login]);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining("error: plugin has no configurable options") });
    expect((await cli(["disable", "test-scrobbler", ...login])).code).toBe(0);
    expect(pluginManager()!.loadedPlugin("test-scrobbler")).toBeUndefined();
  });
});
