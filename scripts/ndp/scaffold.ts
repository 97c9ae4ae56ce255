import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isUsablePluginId } from "@/lib/plugins/id";
import { UsageError, type InitCommand } from "./args";

/** A capability `ndp init` can scaffold: its PDK exports module, what it needs, sample code. */
interface CapabilityTemplate {
  /** The PDK names the sample uses. */
  imports: string[];
  /** Permissions the server requires with it (contract §1.7 rules 7–9). */
  needs: string[];
  code: string;
}

const CAPABILITIES: Record<string, CapabilityTemplate> = {
  "metadata-agent": {
    imports: ["ArtistBiographyResponse", "ArtistRequest", "ArtistURLResponse", "MetadataAgent", "registerMetadataAgent"],
    needs: [],
    code: `// Artist and album information. Override what you support; the rest answers "not implemented"
// and the server asks the next agent in its Agents list. Return null for "no data".
class Agent extends MetadataAgent {
  getArtistBiography(req: ArtistRequest): ArtistBiographyResponse | null {
    if (req.name.length == 0) return null;
    return new ArtistBiographyResponse(Config.getString("greeting", "Hello") + " from PLUGIN_ID: " + req.name + " is in your library.");
  }

  getArtistURL(req: ArtistRequest): ArtistURLResponse | null {
    return null; // no data
  }
}
registerMetadataAgent(new Agent());
`,
  },
  scrobbler: {
    imports: ["IsAuthorizedRequest", "Log", "NowPlayingRequest", "PlaybackReportRequest", "registerScrobbler", "ScrobbleRequest", "Scrobbler"],
    needs: ["users"],
    code: `// Plays of the users an admin allowed. Report a temporary failure with
// fail(scrobblerError(RETRY_LATER, "…")) and the server keeps the scrobble and retries.
class Scrobbles extends Scrobbler {
  isAuthorized(req: IsAuthorizedRequest): bool {
    return true;
  }

  nowPlaying(req: NowPlayingRequest): void {
    Log.info(req.username + " is playing " + req.track.title + " by " + req.track.artist);
  }

  scrobble(req: ScrobbleRequest): void {
    Log.info(req.username + " played " + req.track.title + " by " + req.track.artist + " at " + req.timestamp.toString());
  }

  playbackReport(req: PlaybackReportRequest): void {
    Log.debug(req.username + " " + req.state + " " + req.track.title + " at " + req.positionMs.toString() + " ms");
  }
}
registerScrobbler(new Scrobbles());
`,
  },
  lyrics: {
    imports: ["LyricsProvider", "LyricsRequest", "LyricsResponse", "LyricsText", "registerLyricsProvider"],
    needs: [],
    code: `// Lyrics for tracks; the server asks the plugins listed in its LyricsPriority setting.
class Lyrics extends LyricsProvider {
  getLyrics(req: LyricsRequest): LyricsResponse | null {
    if (req.track.title.length == 0) return null;
    const synced = "[00:00.00]" + req.track.title + "\\n[00:05.00]by " + req.track.artist;
    return new LyricsResponse([new LyricsText(synced, "eng")]);
  }
}
registerLyricsProvider(new Lyrics());
`,
  },
  "sonic-similarity": {
    imports: ["FindSonicPathRequest", "registerSonicSimilarityProvider", "SonicMatch", "SonicMatchesResponse", "SonicSimilarityProvider", "SonicSimilarTracksRequest"],
    needs: [],
    code: `// Tracks that sound alike. The server matches your songs to library tracks by id, MusicBrainz
// id, ISRC, then title and artist.
class Similarity extends SonicSimilarityProvider {
  getSonicSimilarTracks(req: SonicSimilarTracksRequest): SonicMatchesResponse | null {
    return new SonicMatchesResponse([new SonicMatch(req.song, 1.0)]);
  }

  findSonicPath(req: FindSonicPathRequest): SonicMatchesResponse | null {
    return new SonicMatchesResponse([new SonicMatch(req.startSong, 1.0), new SonicMatch(req.endSong, 0.5)]);
  }
}
registerSonicSimilarityProvider(new Similarity());
`,
  },
  "task-worker": {
    imports: ["registerTaskWorker", "TaskExecuteRequest", "TaskWorker"],
    needs: ["taskqueue"],
    code: `// Runs the tasks of your queues (create them in onInit). Return the task's message; fail()
// makes the attempt fail and the queue retries it.
class Worker extends TaskWorker {
  execute(req: TaskExecuteRequest): string | null {
    return "processed " + req.payloadText() + " (attempt " + req.attempt.toString() + ")";
  }
}
registerTaskWorker(new Worker());
`,
  },
  "playlist-provider": {
    imports: ["AvailablePlaylists", "GetPlaylistRequest", "PlaylistInfo", "PlaylistProvider", "ProvidedPlaylist", "registerPlaylistProvider", "SongRef", "Time", "Users", "fail", "playlistNotFound"],
    needs: ["users"],
    code: `// Playlists the server keeps, read-only, for the users an admin allowed. Discovery runs at
// load and every refreshInterval seconds; each playlist's content again at its validUntil.
class Playlists extends PlaylistProvider {
  availablePlaylists(): AvailablePlaylists | null {
    const users = Users.all();
    if (!users.check("listing users")) return null;
    const list: PlaylistInfo[] = [];
    for (let i = 0; i < users.users.length; i++) list.push(new PlaylistInfo("greeting:" + users.users[i].userName, users.users[i].userName));
    return new AvailablePlaylists(list, 3600, 300); // rediscover hourly, retry failures after 5 minutes
  }

  playlist(req: GetPlaylistRequest): ProvidedPlaylist | null {
    // The server keeps what it stored and stops refreshing it until the next discovery.
    if (!req.id.startsWith("greeting:")) return fail<ProvidedPlaylist | null>(playlistNotFound(req.id));
    // Title and artist are enough: the server matches them against its library (MusicBrainz id and ISRC first).
    const p = new ProvidedPlaylist(Config.getString("greeting", "Hello") + " from PLUGIN_ID", [new SongRef("Whistle", "Demo Artist")]);
    p.description = "Made for " + req.id.substring(9);
    p.validUntil = Time.nowSeconds() + 24 * 3600; // fetched again tomorrow
    return p;
  }
}
registerPlaylistProvider(new Playlists());
`,
  },
  "http-endpoint": {
    imports: ["EndpointRequest", "EndpointResponse", "HttpEndpoint", "registerHttpEndpoint"],
    needs: ["endpoints"],
    code: `// Answers HTTP requests to /ext/PLUGIN_ID/… (and /rest/ext/PLUGIN_ID/…). The manifest's
// endpoints.auth says who may call: native (the web UI's login), subsonic (u/p or t/s) or none
// (anyone: check a secret yourself). The host sandboxes HTML answers: no scripts run.
// Try it: npx ndp run dist/PLUGIN_ID.ndp --serve 4533, then open http://127.0.0.1:4533/ext/PLUGIN_ID/hello
class Endpoint extends HttpEndpoint {
  handle(req: EndpointRequest): EndpointResponse | null {
    if (req.method == "GET" && (req.path == "" || req.path == "/" || req.path == "/hello")) {
      const who = req.user !== null ? req.user!.name : "stranger";
      return EndpointResponse.text(200, Config.getString("greeting", "Hello") + ", " + who + "!");
    }
    if (req.method == "POST" && req.path == "/echo") return EndpointResponse.bytes(200, req.body, req.header("Content-Type"));
    return EndpointResponse.text(404, "no route for " + req.method + " " + req.path);
  }
}
registerHttpEndpoint(new Endpoint());
`,
  },
  lifecycle: {
    imports: ["Lifecycle", "Log", "registerLifecycle"],
    needs: [],
    code: `// Runs after every load: server start, enable, and every settings save. Create schedules,
// queues and connections here; they end with each unload.
class Init extends Lifecycle {
  onInit(): void {
    Log.info("PLUGIN_ID loaded (greeting: " + Config.getString("greeting", "Hello") + ")");
  }
}
registerLifecycle(new Init());
`,
  },
  "scheduler-callback": {
    imports: ["Log", "registerSchedulerCallback", "SchedulerCallback", "SchedulerCallbackRequest"],
    needs: ["scheduler"],
    code: `// Receives the schedules you create with Scheduler.scheduleOneTime / scheduleRecurring.
class Schedules extends SchedulerCallback {
  onCallback(req: SchedulerCallbackRequest): void {
    Log.info("schedule " + req.scheduleId + " fired with payload " + req.payload);
  }
}
registerSchedulerCallback(new Schedules());
`,
  },
  "websocket-callback": {
    imports: ["Log", "registerWebSocketCallback", "WebSocketCallback", "WebSocketClose", "WebSocketError", "WebSocketTextMessage"],
    needs: ["websocket"],
    code: `// Frames and events of the connections you open with WebSocket.connect.
class Socket extends WebSocketCallback {
  onTextMessage(req: WebSocketTextMessage): void {
    Log.info(req.connectionId + " says " + req.message);
  }

  onError(req: WebSocketError): void {
    Log.warn(req.connectionId + " failed: " + req.error);
  }

  onClose(req: WebSocketClose): void {
    Log.info(req.connectionId + " closed (" + req.code.toString() + ")");
  }
}
registerWebSocketCallback(new Socket());
`,
  },
};

/** The `endpoints` auth mode of `--permission endpoints[=mode]`: native unless told. */
function endpointAuth(arg: string | undefined): string {
  const auth = arg ?? "native";
  if (!["native", "subsonic", "none"].includes(auth)) throw new UsageError(`endpoints takes native, subsonic or none, not ${JSON.stringify(auth)}`);
  return auth;
}

/** Permissions `ndp init` knows: the manifest entry, a default reason, and a usage hint. */
const PERMISSIONS: Record<
  string,
  {
    entry: (arg: string | undefined) => Record<string, unknown>;
    reason: string;
    hint: string;
    /** Other permissions it requires, by its argument (the manifest rules of contract §1.7). */
    needs?: string[] | ((arg: string | undefined) => string[]);
    capability?: string;
    /** Sample code for a host service no capability shows off: PDK names and the code. */
    imports?: string[];
    code?: string;
  }
> = {
  http: {
    entry: (arg) => (arg ? { requiredHosts: arg.split(",").filter(Boolean) } : { requiredHosts: [] }),
    reason: "Calls the web service the plugin gets its data from",
    hint: 'Http.get("https://…") or new HttpRequest("POST", url).bodyJSON(json).send(); list the hosts in requiredHosts',
  },
  cache: { entry: () => ({}), reason: "Remembers answers for a while", hint: 'Cache.setString("key", "value", ttlSeconds) / Cache.getString("key")' },
  kvstore: { entry: () => ({ maxSize: "1MB" }), reason: "Keeps the plugin's data between restarts", hint: 'KVStore.setString("key", "value") / KVStore.get("key").text()' },
  scheduler: { entry: () => ({}), reason: "Runs periodic work", hint: 'Scheduler.scheduleRecurring("@every 1h", "payload")', capability: "scheduler-callback" },
  taskqueue: { entry: () => ({ maxConcurrency: 1 }), reason: "Runs long jobs in the background", hint: 'TaskQueue.create("jobs") in onInit, then TaskQueue.enqueueText("jobs", "…")', capability: "task-worker" },
  websocket: {
    entry: (arg) => ({ requiredHosts: arg ? arg.split(",").filter(Boolean) : ["ws.example.com"] }),
    reason: "Keeps a live connection to a service",
    hint: 'WebSocket.connect("wss://…") (the host must be in requiredHosts)',
  },
  library: {
    entry: (arg) => (arg === "filesystem" ? { filesystem: true } : {}),
    reason: "Reads information about the music libraries",
    hint: "Library.all(); with filesystem, FileSystem.readDir(library.mountPoint)",
  },
  users: { entry: () => ({}), reason: "Knows which users it works for", hint: "Users.all()" },
  artwork: { entry: () => ({}), reason: "Shares cover art links", hint: 'Artwork.albumURL(albumId, 300)' },
  subsonicapi: { entry: () => ({}), reason: "Reads the library through the Subsonic API", hint: 'SubsonicAPI.call("getAlbumList2?type=newest&u=" + userName)', needs: ["users"] },
  matcher: { entry: () => ({}), reason: "Finds library tracks for songs", hint: "Matcher.matchSongs([new SongRef(title, artist)])", needs: ["library"] },
  storage: { entry: () => ({}), reason: "Keeps files in its private folder", hint: 'FileSystem.writeText("/storage/state.json", json)' },
  endpoints: {
    entry: (arg) => ({ auth: endpointAuth(arg), paths: ["/hello", "/echo"] }),
    reason: "Serves its own pages and webhooks",
    hint: "endpoints=native|subsonic|none picks who may call (native by default); req.user is the caller",
    needs: (arg) => (endpointAuth(arg) === "none" ? [] : ["users"]),
    capability: "http-endpoint",
  },
  scrobbleRetriever: {
    entry: () => ({}),
    reason: "Reads the listening history of the users it works for",
    hint: 'ScrobbleRetriever.scrobbles(userName, new ScrobbleOptions().newestFirst().pageSize(50)) (pass page.next back for more)',
    needs: ["users"],
    imports: ["FAILED", "JSONWriter", "readRequest", "respondEmpty", "respondJSON", "ScrobbleOptions", "ScrobbleRetriever"],
    code: `// A custom export that reads a user's newest plays (only ids and times: look tracks up with
// the Subsonic API or the Matcher). Try it: npx ndp run dist/PLUGIN_ID.ndp recent_plays '{"username":"admin"}'
export function recent_plays(): i32 {
  const req = readRequest();
  if (req === null) return FAILED;
  const page = ScrobbleRetriever.scrobbles(req.getString("username"), new ScrobbleOptions().newestFirst().pageSize(10));
  if (!page.check("reading history")) return respondEmpty(); // fails the call with check()'s error
  const w = new JSONWriter().beginArray();
  for (let i = 0; i < page.scrobbles.length; i++)
    w.beginObject().string("mediaFileId", page.scrobbles[i].mediaFileId).int("submissionTime", page.scrobbles[i].submissionTime).endObject();
  return respondJSON(w.endArray().toString());
}
`,
  },
};

const DEFAULT_CAPABILITIES = ["metadata-agent", "lifecycle"];

/** Capability and permission names, resolved with everything they imply. */
export function resolveSelection(capabilities: string[], permissions: string[]): { capabilities: string[]; permissions: Map<string, string | undefined> } {
  const caps = new Set(capabilities.length ? capabilities : DEFAULT_CAPABILITIES);
  const perms = new Map<string, string | undefined>();
  for (const p of permissions) {
    const [given, arg] = p.split("=", 2);
    // Manifest keys are camelCase (scrobbleRetriever); flags are easier typed in lower case.
    const key = Object.keys(PERMISSIONS).find((k) => k.toLowerCase() === given.toLowerCase()) ?? given;
    if (!PERMISSIONS[key]) throw new UsageError(`unknown permission ${JSON.stringify(key)}; choose from ${Object.keys(PERMISSIONS).join(", ")}`);
    perms.set(key, arg);
  }
  for (const c of caps) if (!CAPABILITIES[c]) throw new UsageError(`unknown capability ${JSON.stringify(c)}; choose from ${Object.keys(CAPABILITIES).join(", ")}`);
  // Fixed point: capabilities need permissions, permissions need capabilities and other permissions.
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of caps)
      for (const p of CAPABILITIES[c].needs)
        if (!perms.has(p)) {
          perms.set(p, undefined);
          changed = true;
        }
    for (const p of [...perms.keys()]) {
      const def = PERMISSIONS[p];
      if (def.capability && !caps.has(def.capability)) {
        caps.add(def.capability);
        changed = true;
      }
      const needs = typeof def.needs === "function" ? def.needs(perms.get(p)) : (def.needs ?? []);
      for (const n of needs)
        if (!perms.has(n)) {
          perms.set(n, undefined);
          changed = true;
        }
    }
  }
  return { capabilities: Object.keys(CAPABILITIES).filter((c) => caps.has(c)), permissions: perms };
}

function manifestFor(name: string, author: string, permissions: Map<string, string | undefined>): Record<string, unknown> {
  const perms: Record<string, unknown> = {};
  for (const key of [...permissions.keys()].sort()) perms[key] = { ...PERMISSIONS[key].entry(permissions.get(key)), reason: PERMISSIONS[key].reason };
  return {
    name,
    author,
    version: "0.1.0",
    description: `${name}: a Navidrome plugin written with the Tessitura AssemblyScript PDK`,
    ...(Object.keys(perms).length ? { permissions: perms } : {}),
    config: {
      schema: {
        type: "object",
        properties: { greeting: { type: "string", title: "Greeting", description: "How the plugin says hello", default: "Hello", minLength: 1 } },
      },
      uiSchema: { type: "VerticalLayout", elements: [{ type: "Control", scope: "#/properties/greeting" }] },
    },
  };
}

function indexFor(id: string, capabilities: string[], permissions: Map<string, string | undefined>): string {
  const imports = new Set(["Config", "handleAbort"]);
  for (const c of capabilities) for (const i of CAPABILITIES[c].imports) imports.add(i);
  const samples = [...permissions.keys()].sort().filter((p) => PERMISSIONS[p].code);
  for (const p of samples) for (const i of PERMISSIONS[p].imports ?? []) imports.add(i);
  const hints = [...permissions.keys()].sort().map((p) => `//   ${p}: ${PERMISSIONS[p].hint}`);
  return [
    `// ${id}: a Navidrome plugin (build: npx ndp build, try: npx ndp run dist/${id}.ndp <export> '<json>').`,
    `import { ${[...imports].sort((a, b) => a.localeCompare(b)).join(", ")} } from "@tessitura/ndp-pdk";`,
    ...(hints.length ? ["//", "// Host services your permissions grant:", ...hints] : []),
    "",
    ...capabilities.map((c) => `export * from "@tessitura/ndp-pdk/exports/${c}";`),
    "",
    "// The build routes AssemblyScript's abort() here (--use abort=index/myAbort).",
    "function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {",
    "  handleAbort(message, fileName, line, column);",
    "}",
    "",
    ...capabilities.map((c) => CAPABILITIES[c].code.replaceAll("PLUGIN_ID", id)),
    ...samples.map((p) => PERMISSIONS[p].code!.replaceAll("PLUGIN_ID", id)),
  ].join("\n");
}

const TSCONFIG = {
  extends: "assemblyscript/std/assembly.json",
  include: ["./**/*.ts"],
};

/** What `ndp init` wrote. */
export interface InitResult {
  dir: string;
  id: string;
  files: string[];
  capabilities: string[];
  permissions: string[];
}

/** Writes a plugin folder: manifest.json, index.ts, tsconfig.json (editor support), .gitignore. */
export function initPlugin(cmd: InitCommand, cwd: string, env: NodeJS.ProcessEnv): InitResult {
  const dir = path.resolve(cwd, cmd.dir);
  const id = path.basename(dir);
  if (!isUsablePluginId(id) || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) throw new UsageError(`${JSON.stringify(id)} is not a good plugin id: use letters, digits, '.', '_' and '-'`);
  if (existsSync(dir) && readdirSync(dir).length > 0 && !cmd.force) throw new UsageError(`${dir} is not empty (use --force to write into it)`);
  const { capabilities, permissions } = resolveSelection(cmd.capabilities, cmd.permissions);
  const author = cmd.author ?? env.USER ?? env.USERNAME ?? "Unknown author";
  const files: Record<string, string> = {
    "manifest.json": `${JSON.stringify(manifestFor(cmd.pluginName ?? id, author, permissions), null, 2)}\n`,
    "index.ts": indexFor(id, capabilities, permissions),
    "tsconfig.json": `${JSON.stringify(TSCONFIG, null, 2)}\n`,
    ".gitignore": "dist/\nnode_modules/\n",
  };
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return { dir, id, files: Object.keys(files), capabilities, permissions: [...permissions.keys()].sort() };
}
