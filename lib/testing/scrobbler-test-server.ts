import { db } from "../db/client";
import { writeDemoLibrary } from "../media/demo-library";
import { pluginScrobblerSource } from "../plugins/capabilities/scrobbler";
import { startScan } from "../scanner/scanner";
import { startPlayTracker, stopPlayTracker, type PlayTracker } from "../scrobbler";
import { settings } from "../server/settings";
import { handleSubsonic } from "../subsonic/dispatch";
import { createUser, findUserByName } from "../users/users";
import { bootWithPlugins, pluginLines, waitFor } from "./background-plugins";
import { serveHandler } from "./serve-handler";

/** A request a recording plugin logged, parsed. */
export type ReceivedRequest = Record<string, unknown> & { track: Record<string, unknown> };

/** Waits until `lines()` holds at least `n` requests and answers them. */
export function waitForLines(lines: () => ReceivedRequest[], n: number, what: string, timeoutMs = 5000): Promise<ReceivedRequest[]> {
  return waitFor(() => (lines().length >= n ? lines() : null), timeoutMs, what);
}

/** Short waits for tests: sessions expire 300 ms after their track would end, retries start at 100 ms. */
export const TEST_TRACKER_OPTIONS = { expiryGraceMs: 300, pausedTtlMs: 1_500, retry: { minMs: 100, maxMs: 400 } };

/**
 * A Subsonic server with scrobbler plugins installed (disabled) over the demo library
 * with 2-second tracks: `admin` and `listener` (library 1 only). The play tracker runs
 * with TEST_TRACKER_OPTIONS; `restartTracker` stops it and starts a fresh one over the
 * same database, as a server restart would.
 */
export async function startScrobblerTestServer(plugins: string[]) {
  const { manager, pluginsFolder } = await bootWithPlugins(plugins, { ND_SCANNER_SCANONSTARTUP: "false" });
  const config = settings();
  writeDemoLibrary(config.resolved.musicFolder, { seconds: 2 });
  await startScan();
  const library = await db().library.findFirstOrThrow({ orderBy: { id: "asc" } });
  const listener = await createUser({ userName: "listener", password: "listener-pass" });
  await db().userLibrary.create({ data: { userId: listener.id, libraryId: library.id } });
  const admin = (await findUserByName("admin"))!;
  const { url, close } = await serveHandler(handleSubsonic);

  let tracker: PlayTracker;
  const restartTracker = async () => {
    await stopPlayTracker();
    tracker = startPlayTracker({ scrobblers: pluginScrobblerSource(manager), ...TEST_TRACKER_OPTIONS });
    return tracker;
  };
  await restartTracker();

  const creds = { admin: { u: "admin", p: "admin-pass" }, listener: { u: "listener", p: "listener-pass" } };
  type Who = keyof typeof creds;

  /** A Subsonic JSON call; answers the inner `subsonic-response`. `client` sets `c`, `player` the unique client id header. */
  const call = async (method: string, params: Record<string, string | string[]> = {}, opts: { who?: Who; client?: string; player?: string } = {}) => {
    const q = new URLSearchParams({ ...creds[opts.who ?? "admin"], v: "1.16.1", c: opts.client ?? "test-client", f: "json" });
    for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) q.append(k, x);
    const headers: Record<string, string> = opts.player ? { "X-ND-Client-Unique-Id": opts.player } : {};
    return (await (await fetch(`${url}/rest/${method}?${q}`, { headers })).json())["subsonic-response"];
  };

  /** Enables a plugin for all users (or the given user ids) with a config. */
  const enable = async (id: string, opts: { config?: Record<string, string>; users?: string[] } = {}) => {
    await manager.saveSettings(id, {
      config: opts.config ? JSON.stringify(opts.config) : "",
      ...(opts.users ? { users: opts.users, allUsers: false } : { allUsers: true }),
    });
    await manager.enable(id);
  };

  /** Requests a recording plugin logged for one export, oldest first, parsed. */
  const received = (plugin: string, exportName: string) =>
    pluginLines(manager, plugin, `${exportName} `).map((line) => JSON.parse(line) as ReceivedRequest);

  const tracks = await db().mediaFile.findMany({ orderBy: [{ album: "asc" }, { trackNumber: "asc" }] });

  return {
    manager,
    pluginsFolder,
    url,
    close,
    call,
    enable,
    received,
    tracks,
    admin,
    listener,
    tracker: () => tracker,
    restartTracker,
  };
}

export type ScrobblerTestServer = Awaited<ReturnType<typeof startScrobblerTestServer>>;
