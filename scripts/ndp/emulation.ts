import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Library as LibraryRow } from "@/lib/db/rows";
import type { HostFunction, WasiMount } from "@/lib/plugins/engine";
import { decode, goField, goMarshal, GoTypeError, parseRequest } from "@/lib/plugins/go-json";
import { asyncHostFunction } from "@/lib/plugins/host/async-host-function";
import { libraryMountPoint, toWireLibrary } from "@/lib/plugins/host/library";
import { UsageError } from "./args";

/**
 * Stand-ins for the host services that read the server's database (Library, Users,
 * SubsonicAPI, Matcher, ScrobbleRetriever), so `ndp run` works without one. Wire formats and error texts are
 * the real services' (the Library answers go through the same encoder); the data comes from
 * the command line.
 */

/** A folder given with `--library [name=]path`, numbered from 1 in order. */
export interface EmulatedLibrary {
  id: number;
  name: string;
  path: string;
}

export interface EmulatedUser {
  userName: string;
  name: string;
  isAdmin: boolean;
}

const AUDIO = /\.(mp3|flac|ogg|oga|opus|m4a|aac|wav|wma|aiff?|ape|wv|mpc|dsf)$/i;

export function parseLibraries(specs: string[], cwd: string): EmulatedLibrary[] {
  return specs.map((spec, i) => {
    const eq = spec.indexOf("=");
    const folder = path.resolve(cwd, eq > 0 ? spec.slice(eq + 1) : spec);
    try {
      if (!statSync(folder).isDirectory()) throw new Error("not a folder");
    } catch {
      throw new UsageError(`--library ${spec}: ${folder} is not a folder`);
    }
    return { id: i + 1, name: eq > 0 ? spec.slice(0, eq) : path.basename(folder), path: folder };
  });
}

export function parseUsers(specs: string[]): EmulatedUser[] {
  if (specs.length === 0) return [{ userName: "admin", name: "Admin", isAdmin: true }];
  return specs.map((spec) => {
    const [userName, role] = spec.split(":", 2);
    if (!userName || (role !== undefined && role !== "admin")) throw new UsageError(`--user ${spec}: expected name or name:admin`);
    return { userName, name: userName, isAdmin: role === "admin" };
  });
}

/** Library statistics as a scan would count them: audio files, their bytes; artists and albums from folders. */
function libraryRow(lib: EmulatedLibrary): LibraryRow {
  let songs = 0;
  let size = 0n;
  const albums = new Set<string>();
  const artists = new Set<string>();
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 8) walk(full, depth + 1);
      else if (entry.isFile() && AUDIO.test(entry.name)) {
        songs++;
        size += BigInt(statSync(full).size);
        const rel = path.relative(lib.path, dir).split(path.sep);
        if (rel[0]) artists.add(rel[0]);
        albums.add(rel.join("/"));
      }
    }
  };
  walk(lib.path, 0);
  const now = new Date();
  // Only the fields toWireLibrary reads matter; the rest of the row is not part of the wire format.
  return {
    id: lib.id,
    name: lib.name,
    path: lib.path,
    lastScanAt: now,
    totalSongs: songs,
    totalAlbums: albums.size,
    totalArtists: artists.size,
    totalSize: size,
    totalDuration: 0,
  } as unknown as LibraryRow;
}

/** `library_getlibrary` / `library_getalllibraries` over the `--library` folders (all in scope). */
export function libraryFunctions(libraries: EmulatedLibrary[], withFilesystem: boolean): Record<string, HostFunction> {
  const rows = () => libraries.map(libraryRow);
  return {
    library_getlibrary: asyncHostFunction(async (req) => {
      const id = decode.int(goField(req, "id"), "LibraryGetLibraryRequest.id", "/id", "int32") ?? 0;
      const row = rows().find((l) => l.id === id);
      if (!row) throw new Error("library not found: data not found");
      return { result: toWireLibrary(row, withFilesystem) };
    }),
    library_getalllibraries: asyncHostFunction(async () => {
      const all = rows().map((l) => toWireLibrary(l, withFilesystem));
      return all.length ? { result: all } : {};
    }),
  };
}

/** The `--library` folders mounted read-only at `/libraries/<id>`, as for `library.filesystem`. */
export function libraryMounts(libraries: EmulatedLibrary[]): WasiMount[] {
  return libraries.map((l) => ({ guestPath: libraryMountPoint(l.id), hostPath: l.path, readOnly: true }));
}

/** `users_getusers` / `users_getadmins` over the `--user` list. */
export function usersFunctions(users: EmulatedUser[]): Record<string, HostFunction> {
  const answer = (list: EmulatedUser[]) => (list.length ? { result: list } : {});
  return {
    users_getusers: asyncHostFunction(async () => answer(users)),
    users_getadmins: asyncHostFunction(async () => answer(users.filter((u) => u.isAdmin))),
  };
}

/** Reads `--subsonic-fixture`: `{"<endpoint>[?k=v&…]": <subsonic-response content>}`. */
export function readSubsonicFixtures(file: string): Map<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new UsageError(`--subsonic-fixture ${file}: ${(err as Error).message}`);
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new UsageError(`--subsonic-fixture ${file}: expected a JSON object of endpoint → response`);
  return new Map(Object.entries(data as Record<string, unknown>));
}

const IGNORED_PARAMS = new Set(["u", "c", "v", "f"]);

/** The fixture for a Subsonic URI: same endpoint, all of its parameters present; the most specific wins. */
function findSubsonicFixture(fixtures: Map<string, unknown>, uri: URL): unknown {
  const endpoint = uri.pathname.split("/").pop()!.replace(/\.view$/, "");
  let best: { score: number; value: unknown } | null = null;
  for (const [key, value] of fixtures) {
    const [name, query = ""] = key.split("?", 2);
    if (name.replace(/\.view$/, "") !== endpoint) continue;
    const wanted = new URLSearchParams(query);
    if ([...wanted].some(([k, v]) => !uri.searchParams.getAll(k).includes(v))) continue;
    const score = [...wanted].filter(([k]) => !IGNORED_PARAMS.has(k)).length;
    if (!best || score > best.score) best = { score, value };
  }
  return best?.value;
}

function subsonicDocument(content: unknown, endpoint: string): string {
  if (content && typeof content === "object" && "subsonic-response" in content) return JSON.stringify(content);
  if (content === undefined)
    return JSON.stringify({ "subsonic-response": { status: "failed", version: "1.16.1", type: "tessitura", error: { code: 70, message: `ndp run: no Subsonic fixture for ${endpoint}` } } });
  return JSON.stringify({ "subsonic-response": { status: "ok", version: "1.16.1", type: "tessitura", ...(content as object) } });
}

/**
 * `subsonicapi_call` / `_callraw` answered from `--subsonic-fixture` (every user may be acted
 * as, like "all users"). Without a fixture for the endpoint the answer is a Subsonic error
 * document, as a server gives for an unknown endpoint.
 */
export function subsonicFunctions(fixtures: Map<string, unknown>, users: EmulatedUser[]): Record<string, HostFunction> {
  const enc = new TextEncoder();
  const handle = (input: Uint8Array, raw: boolean): Uint8Array => {
    let result: Record<string, unknown>;
    try {
      const req = parseRequest(input);
      const text = decode.string(goField(req, "uri"), "SubsonicAPICallRequest.uri", "/uri") ?? "";
      const uri = new URL(text, "http://localhost/");
      const userName = uri.searchParams.get("u") ?? "";
      if (!userName) throw new Error("missing required parameter 'u' (username)");
      if (!users.some((u) => u.userName.toLowerCase() === userName.toLowerCase())) throw new Error(`username ${userName} not found`);
      const body = subsonicDocument(findSubsonicFixture(fixtures, uri), uri.pathname.split("/").pop() ?? "");
      result = raw ? { contentType: "application/json", data: enc.encode(body) } : { responseJson: body };
    } catch (err) {
      result = { error: (err as Error).message };
    }
    return enc.encode(goMarshal(result));
  };
  return {
    subsonicapi_call: (input) => handle(input, false),
    subsonicapi_callraw: (input) => handle(input, true),
  };
}

/**
 * The `artwork_*` functions without the server's signing secret: URLs of the real shape
 * (`http://localhost/share/img/<token>[?size=N]`) whose token is an unsigned stand-in naming
 * the item (`<kind>-<id>_0`), so a plugin can be tested for what it builds around them.
 */
export function artworkFunctions(): Record<string, HostFunction> {
  const kinds: Record<string, string> = { artwork_getartisturl: "ar", artwork_getalbumurl: "al", artwork_gettrackurl: "mf", artwork_getplaylisturl: "pl" };
  return Object.fromEntries(
    Object.entries(kinds).map(([name, kind]) => [
      name,
      asyncHostFunction(async (req) => {
        const id = decode.string(goField(req, "id"), "ArtworkRequest.id", "/id") ?? "";
        const size = decode.int(goField(req, "size"), "ArtworkRequest.size", "/size", "int32") ?? 0;
        return { url: `http://localhost/share/img/ndp-run.${kind}-${encodeURIComponent(id)}_0${size > 0 ? `?size=${size}` : ""}` };
      }),
    ]),
  );
}

/**
 * The `scrobbleretriever_*` functions without a database: every `--user` has an empty history
 * (`{}` from all four, as the server answers a user who never played anything); any other
 * name gets the server's "not found" error. Requests are decoded as the server decodes them.
 */
export function scrobbleRetrieverFunctions(users: EmulatedUser[]): Record<string, HostFunction> {
  const lookup = (struct: string) =>
    asyncHostFunction(async (req) => {
      const name = decode.string(goField(req, "username"), `${struct}.username`, "/username") ?? "";
      const options = goField(req, "options");
      if (options && options.kind !== "null" && options.kind !== "object") throw new GoTypeError(options, `${struct}.options`, "object", "/options");
      if (!users.some((u) => u.userName.toLowerCase() === name.toLowerCase())) throw new Error(`scrobbleRetriever: user ${JSON.stringify(name)} not found`);
      return {};
    });
  return {
    scrobbleretriever_getfirsttimestamp: lookup("ScrobbleRetrieverGetFirstTimestampRequest"),
    scrobbleretriever_getlasttimestamp: lookup("ScrobbleRetrieverGetLastTimestampRequest"),
    scrobbleretriever_getscrobbles: lookup("ScrobbleRetrieverGetScrobblesRequest"),
    scrobbleretriever_getscrobblecount: lookup("ScrobbleRetrieverGetScrobbleCountRequest"),
  };
}

/** `matcher_matchsongs` without a library database: nothing matches (one `null` per song). */
export function matcherFunctions(): Record<string, HostFunction> {
  return {
    matcher_matchsongs: asyncHostFunction(async (req) => {
      const songs = goField(req, "songs");
      const n = songs && songs.kind === "array" ? songs.items.length : 0;
      return n ? { results: Array.from({ length: n }, () => null) } : {};
    }),
  };
}
