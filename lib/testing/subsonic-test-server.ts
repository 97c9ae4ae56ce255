import path from "node:path";
import { SubsonicAPI } from "subsonic-api";
import { db } from "../db/client";
import { writeDemoLibrary, writeGeneratedLibrary } from "../media/demo-library";
import { startScan } from "../scanner/scanner";
import { handleSubsonic, methodName } from "../subsonic/dispatch";
import { validateSubsonicJson } from "../subsonic/schema/validate";
import { createUser } from "../users/users";
import { bootTestServer } from "./boot-test-server";
import { serveHandler } from "./serve-handler";

export interface Credentials {
  u: string;
  p: string;
}

/**
 * Checks every JSON (and JSONP) answer against the OpenSubsonic schemas before the caller sees it;
 * a response that does not match fails the request with the schema errors.
 */
export const validatingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  const type = res.headers.get("content-type") ?? "";
  if (type.startsWith("application/json") || type.startsWith("application/javascript")) {
    const method = methodName(url.pathname);
    const text = await res.clone().text();
    // JSONP: the JSON document inside `callback(…)`.
    const json = type.startsWith("application/javascript") ? text.slice(text.indexOf("(") + 1, text.lastIndexOf(")")) : text;
    const result = validateSubsonicJson(method, JSON.parse(json));
    if (!result.valid) throw new Error(`${method} answered a response that breaks the OpenSubsonic schema:\n${result.errors.join("\n")}`);
  }
  return res;
};

/**
 * A Subsonic server on 127.0.0.1 over a fresh data folder: the demo library (library 1)
 * and optionally a generated one (library 2), scanned; `admin` and `listener`, a
 * non-admin who may only browse library 1.
 */
export async function startSubsonicTestServer(opts: { generated?: { artists: number; albums: number; tracks: number }; env?: Record<string, string> } = {}) {
  const { config, dataFolder, adminPassword } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false", ...opts.env });
  writeDemoLibrary(config.resolved.musicFolder, { seconds: 1 });
  const demoLibraryId = (await db().library.findFirstOrThrow({ orderBy: { id: "asc" } })).id;
  let generatedLibraryId: number | undefined;
  if (opts.generated) {
    const folder = path.join(dataFolder, "generated");
    writeGeneratedLibrary(folder, opts.generated);
    generatedLibraryId = (await db().library.create({ data: { name: "Generated", path: folder } })).id;
  }
  await startScan();
  const listener = await createUser({ userName: "listener", password: "listener-pass" });
  await db().userLibrary.create({ data: { userId: listener.id, libraryId: demoLibraryId } });
  const { url, close } = await serveHandler(handleSubsonic);

  const creds = { admin: { u: "admin", p: adminPassword }, listener: { u: "listener", p: "listener-pass" } };
  const client = (c: Credentials, extra: { post?: boolean } = {}) => new SubsonicAPI({ url, auth: { username: c.u, password: c.p }, fetch: validatingFetch, ...extra });

  /** A raw request; `f` defaults to XML as for any client that does not ask. */
  const raw = (method: string, params: Record<string, string | string[]> = {}, c: Credentials = creds.admin) => {
    const q = new URLSearchParams({ ...c, v: "1.16.1", c: "test" });
    for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) q.append(k, x);
    return validatingFetch(`${url}/rest/${method}?${q}`);
  };
  /** A raw JSON request, validated; answers the inner `subsonic-response` object. */
  const json = async (method: string, params: Record<string, string | string[]> = {}, c: Credentials = creds.admin) =>
    (await (await raw(method, { ...params, f: "json" }, c)).json())["subsonic-response"];

  return {
    url,
    close,
    creds,
    admin: client(creds.admin),
    listener: client(creds.listener),
    client,
    raw,
    json,
    demoLibraryId,
    generatedLibraryId,
    listenerId: listener.id,
  };
}

export type SubsonicTestServer = Awaited<ReturnType<typeof startSubsonicTestServer>>;
