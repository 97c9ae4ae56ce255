/**
 * Which Navidrome release introduced each host function and capability export (addendum
 * A5.2/A5.3), as data: the load-error classifier (`classify.ts`), `ndp validate` and the
 * compatibility table in the plugin-author docs (`scripts/compat-table.ts`) all read it.
 *
 * Releases before v0.60.0 used another plugin ABI (A5.1), so v0.60.0 is the floor. The
 * master-only items after v0.63.2 are labelled "v0.64.0": the tag is newer than the source
 * snapshot the addendum read, so that label is an inference (A0, A6). Items only on an open
 * pull request carry `pr` instead of a release.
 *
 * This module imports nothing: it sits below the loader and the CLI scripts alike.
 */

/** Where a name first appeared: a release tag, or an open Navidrome pull request. */
export type Introduced = { release: string; pr?: undefined } | { release?: undefined; pr: string };

export interface HostFunctionInfo {
  name: string;
  /**
   * The manifest permission key that grants it (as spelled in the manifest schema), or
   * null for Config, which every plugin gets.
   */
  permission: string | null;
  introduced: Introduced;
  /** Commit/PR that added it, for the docs table. */
  source: string;
  /** A wire-format note worth telling an author (A5.5). */
  note?: string;
}

export interface ExportInfo {
  name: string;
  /** Capability name as Navidrome uses it internally. */
  capability: string;
  introduced: Introduced;
  source: string;
}

const r = (release: string): Introduced => ({ release });
const pr = (p: string): Introduced => ({ pr: p });

function fns(permission: string | null, release: string, source: string, names: string[], note?: string): HostFunctionInfo[] {
  return names.map((name) => ({ name, permission, introduced: r(release), source, ...(note ? { note } : {}) }));
}

function exps(capability: string, introduced: Introduced, source: string, names: string[]): ExportInfo[] {
  return names.map((name) => ({ name, capability, introduced, source }));
}

/** Every host function of module `extism:host/user` any Navidrome release registers (A5.2), oldest first. */
export const HOST_FUNCTION_TABLE: readonly HostFunctionInfo[] = [
  ...fns(null, "v0.60.0", "03a45753e #4833", ["config_get", "config_getint", "config_keys"]),
  ...fns("subsonicapi", "v0.60.0", "03a45753e #4833", ["subsonicapi_call"]),
  ...fns("scheduler", "v0.60.0", "03a45753e #4833", ["scheduler_scheduleonetime", "scheduler_schedulerecurring", "scheduler_cancelschedule"]),
  ...fns("websocket", "v0.60.0", "03a45753e #4833", ["websocket_connect", "websocket_sendtext", "websocket_sendbinary", "websocket_closeconnection"]),
  ...fns("artwork", "v0.60.0", "03a45753e #4833", ["artwork_getartisturl", "artwork_getalbumurl", "artwork_gettrackurl", "artwork_getplaylisturl"]),
  ...fns("cache", "v0.60.0", "03a45753e #4833", [
    "cache_setstring",
    "cache_getstring",
    "cache_setint",
    "cache_getint",
    "cache_setfloat",
    "cache_getfloat",
    "cache_setbytes",
    "cache_getbytes",
    "cache_has",
    "cache_remove",
  ]),
  ...fns("library", "v0.60.0", "03a45753e #4833", ["library_getlibrary", "library_getalllibraries"]),
  ...fns("kvstore", "v0.60.0", "03a45753e #4833", ["kvstore_set", "kvstore_get", "kvstore_has", "kvstore_list", "kvstore_delete", "kvstore_getstorageused"]),
  ...fns("users", "v0.60.0", "03a45753e #4833", ["users_getusers", "users_getadmins"]),
  ...fns(
    "subsonicapi",
    "v0.60.2",
    "e8863ed14 #4982",
    ["subsonicapi_callraw"],
    "served in the v0.61.0+ JSON format {contentType, data}; v0.60.2–v0.60.3 used a binary frame",
  ),
  ...fns("http", "v0.61.0", "652c27690 #5095", ["http_send"]),
  ...fns("kvstore", "v0.61.0", "2471bb9cf #5127", ["kvstore_setwithttl", "kvstore_getmany", "kvstore_deletebyprefix"]),
  ...fns("taskqueue", "v0.61.0", "668869b6c #5116", ["task_createqueue", "task_enqueue", "task_get", "task_cancel", "task_clearqueue"]),
  ...fns("matcher", "v0.63.0", "f580d3ea7 #5643", ["matcher_matchsongs"]),
  ...fns("storage", "v0.64.0", "54fe6c254 #5839", ["storage_getstoragepath"]),
  ...fns("scrobbleRetriever", "v0.64.0", "b0c6d2e44 #5795", [
    "scrobbleretriever_getfirsttimestamp",
    "scrobbleretriever_getlasttimestamp",
    "scrobbleretriever_getscrobbles",
    "scrobbleretriever_getscrobblecount",
  ]),
];

/** Every capability export any Navidrome release or open plugin PR calls (A5.3), oldest first. */
export const EXPORT_TABLE: readonly ExportInfo[] = [
  ...exps("MetadataAgent", r("v0.60.0"), "03a45753e #4833", [
    "nd_get_artist_mbid",
    "nd_get_artist_url",
    "nd_get_artist_biography",
    "nd_get_similar_artists",
    "nd_get_artist_images",
    "nd_get_artist_top_songs",
    "nd_get_album_info",
    "nd_get_album_images",
  ]),
  ...exps("MetadataAgent", r("v0.60.0"), "fda35dd8c #4933", ["nd_get_similar_songs_by_track", "nd_get_similar_songs_by_album", "nd_get_similar_songs_by_artist"]),
  ...exps("Scrobbler", r("v0.60.0"), "03a45753e #4833", ["nd_scrobbler_is_authorized", "nd_scrobbler_now_playing", "nd_scrobbler_scrobble"]),
  ...exps("Lifecycle", r("v0.60.0"), "03a45753e #4833", ["nd_on_init"]),
  ...exps("SchedulerCallback", r("v0.60.0"), "03a45753e #4833", ["nd_scheduler_callback"]),
  ...exps("WebSocketCallback", r("v0.60.0"), "03a45753e #4833", ["nd_websocket_on_text_message", "nd_websocket_on_binary_message", "nd_websocket_on_error", "nd_websocket_on_close"]),
  ...exps("Lyrics", r("v0.61.0"), "f03ca44a8 #5126", ["nd_lyrics_get_lyrics"]),
  ...exps("TaskWorker", r("v0.61.0"), "668869b6c #5116", ["nd_task_execute"]),
  ...exps("SonicSimilarity", r("v0.62.0"), "259c1a948 #5419", ["nd_get_sonic_similar_tracks", "nd_find_sonic_path"]),
  ...exps("Scrobbler", r("v0.62.0"), "ae0e0c89d #5452", ["nd_scrobbler_playback_report"]),
  ...exps("HTTPEndpoint", pr("#5045"), "branch plugins-endpoints 6c260db60", ["nd_http_handle_request"]),
  ...exps("PlaylistProvider", pr("#5148"), "branch feat/playlist-generator-capability 439cff47a", [
    "nd_playlist_provider_get_available_playlists",
    "nd_playlist_provider_get_playlist",
  ]),
];

/** The newest release the table knows about ("unknown to every release up to …"). */
export const NEWEST_KNOWN_RELEASE = "v0.64.0";

/** "Navidrome v0.61.0" or "Navidrome PR #5045 (not merged)". */
export function describeIntroduced(i: Introduced): string {
  return i.release ? `Navidrome ${i.release}` : `Navidrome PR ${i.pr} (not merged)`;
}

const byHostName = new Map(HOST_FUNCTION_TABLE.map((f) => [f.name, f]));
const byExportName = new Map(EXPORT_TABLE.map((e) => [e.name, e]));

/** The table row of host function `name`, or undefined when no Navidrome release has it. */
export function hostFunctionInfo(name: string): HostFunctionInfo | undefined {
  return byHostName.get(name);
}

/** The table row of export `name`, or undefined when no Navidrome release or open PR calls it. */
export function exportInfo(name: string): ExportInfo | undefined {
  return byExportName.get(name);
}
