import type { PluginResource } from "@/lib/plugin-admin/resource";
import { CliError, readApiResponse, type LifecycleClient, type PluginClient, type RescanReport, type UpdateBody, type UserRef } from "./client";

export interface ServerOptions {
  /** Base URL, e.g. `http://127.0.0.1:4533`. */
  url: string;
  user?: string;
  password?: string;
}

const AUTH_HEADER = "x-nd-authorization";
const PROBE_TIMEOUT_MS = 5_000;
/** Enabling or saving settings loads the plugin; a large module takes a while to compile. */
const REQUEST_TIMEOUT_MS = 120_000;

/** Nothing listens there: the one failure that means "no server", as opposed to a broken one. */
function isConnectionRefused(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code === "ECONNREFUSED";
}

async function send(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    if (isConnectionRefused(err)) throw err;
    const cause = (err as { cause?: Error }).cause;
    throw new CliError(`requesting ${url}: ${cause?.message ?? (err as Error).message}`);
  }
}

/**
 * Connects to a running server: signs in with `POST /auth/login` when credentials are
 * given, otherwise only checks that something answers. Returns null when nothing
 * listens at the URL (connection refused), so the caller can work offline instead.
 */
export async function connectToServer(opts: ServerOptions): Promise<PluginClient | null> {
  const base = opts.url.replace(/\/+$/, "");
  let token: string;
  try {
    if (opts.user === undefined || opts.password === undefined) {
      await send(`${base}/api/plugin`, {}, PROBE_TIMEOUT_MS);
      throw new CliError(
        `a server is running at ${base}: sign in with --user and --password (or ND_CLI_USER and ND_CLI_PASSWORD) so that it applies the change, or stop it to work on its database directly`,
      );
    }
    const res = await send(
      `${base}/auth/login`,
      { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username: opts.user, password: opts.password }) },
      PROBE_TIMEOUT_MS,
    );
    const body = await readApiResponse<{ token?: string; isAdmin?: boolean }>(res).catch((err: Error) => {
      throw new CliError(`signing in to ${base} as ${opts.user}: ${err.message}`);
    });
    if (!body?.token) throw new CliError(`signing in to ${base}: the answer has no token (is this a Tessitura server?)`);
    if (body.isAdmin === false) throw new CliError(`signing in to ${base}: ${opts.user} is not an administrator`);
    token = body.token;
  } catch (err) {
    if (isConnectionRefused(err)) return null;
    throw err;
  }

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { [AUTH_HEADER]: `Bearer ${token}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let res: Response;
    try {
      res = await send(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, REQUEST_TIMEOUT_MS);
    } catch (err) {
      if (isConnectionRefused(err)) throw new CliError(`the server at ${base} stopped answering`);
      throw err;
    }
    // Navidrome's sliding session: every answer may carry a fresher token.
    token = res.headers.get(AUTH_HEADER)?.replace(/^Bearer\s+/i, "") || token;
    return readApiResponse<T>(res).catch((err: CliError) => {
      if (res.status === 404 && err.message === "Not found") throw new CliError(`the server at ${base} has its plugin system switched off (Plugins.Enabled = false)`);
      throw err;
    });
  };

  const listPlugins = () => call<PluginResource[]>("GET", "/api/plugin?_sort=id&_order=ASC");
  return {
    target: base,
    mode: "server",
    listPlugins,
    getPlugin: (id) => call<PluginResource>("GET", `/api/plugin/${encodeURIComponent(id)}`),
    updatePlugin: (id, body: UpdateBody) => call<PluginResource>("PUT", `/api/plugin/${encodeURIComponent(id)}`, body),
    async rescan(): Promise<RescanReport> {
      // The endpoint answers an empty body; what changed is read off the list around it.
      const before = new Map((await listPlugins()).map((p) => [p.id, p.sha256]));
      await call<void>("POST", "/api/plugin/rescan");
      const after = await listPlugins();
      return {
        added: after.filter((p) => !before.has(p.id)).map((p) => p.id),
        changed: after.filter((p) => before.has(p.id) && before.get(p.id) !== p.sha256).map((p) => p.id),
        removed: [...before.keys()].filter((id) => !after.some((p) => p.id === id)),
        invalid: null,
      };
    },
    async listUsers(): Promise<UserRef[]> {
      return (await call<UserRef[]>("GET", "/api/user")).map(({ id, userName }) => ({ id, userName }));
    },
    lifecycle: remoteLifecycle(call),
    async close() {},
  };
}

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** The lifecycle routes of issue #15 (lib/plugin-catalog/types.ts shapes). */
function remoteLifecycle(call: Call): LifecycleClient {
  const plugin = (id: string) => `/api/plugin/${encodeURIComponent(id)}`;
  return {
    listRepositories: () => call("GET", "/api/plugin-repository"),
    addRepository: (url) => call("POST", "/api/plugin-repository", { url }),
    removeRepository: (id) => call("DELETE", `/api/plugin-repository/${id}`),
    refreshRepositories: (id) => call("POST", "/api/plugin-repository/refresh", id === undefined ? {} : { id }),
    searchCatalog: ({ q, capability }) => {
      const query = new URLSearchParams();
      if (q) query.set("q", q);
      if (capability) query.set("capability", capability);
      return call("GET", `/api/plugin-catalog${query.size ? `?${query}` : ""}`);
    },
    install: (body) => call("POST", "/api/plugin-catalog/install", body),
    updateView: (id) => call("GET", `${plugin(id)}/update`),
    update: (id, version) => call("POST", `${plugin(id)}/update`, version === undefined ? {} : { version }),
    approveUpdate: (id) => call("POST", `${plugin(id)}/update/approve`),
    discardUpdate: (id) => call("DELETE", `${plugin(id)}/update`),
    history: (id) => call("GET", `${plugin(id)}/history`),
    rollback: (id, target) => call("POST", `${plugin(id)}/rollback`, target),
  };
}
