import type { Manifest } from "../manifest/types";

/** Capability names as Navidrome uses them internally (contract §3.0). */
export type Capability = "MetadataAgent" | "Scrobbler" | "Lyrics" | "SonicSimilarity" | "TaskWorker" | "Lifecycle" | "Scheduler" | "WebSocket" | "HTTPEndpoint" | "PlaylistProvider";

/** Each capability and the exports that reveal it: any one of them is enough. */
export const CAPABILITY_EXPORTS: Record<Capability, readonly string[]> = {
  MetadataAgent: [
    "nd_get_artist_mbid",
    "nd_get_artist_url",
    "nd_get_artist_biography",
    "nd_get_similar_artists",
    "nd_get_artist_images",
    "nd_get_artist_top_songs",
    "nd_get_album_info",
    "nd_get_album_images",
    "nd_get_similar_songs_by_track",
    "nd_get_similar_songs_by_album",
    "nd_get_similar_songs_by_artist",
  ],
  Scrobbler: ["nd_scrobbler_is_authorized", "nd_scrobbler_now_playing", "nd_scrobbler_scrobble", "nd_scrobbler_playback_report"],
  Lyrics: ["nd_lyrics_get_lyrics"],
  SonicSimilarity: ["nd_get_sonic_similar_tracks", "nd_find_sonic_path"],
  TaskWorker: ["nd_task_execute"],
  Lifecycle: ["nd_on_init"],
  Scheduler: ["nd_scheduler_callback"],
  WebSocket: ["nd_websocket_on_text_message", "nd_websocket_on_binary_message", "nd_websocket_on_error", "nd_websocket_on_close"],
  // Open PR #5045.
  HTTPEndpoint: ["nd_http_handle_request"],
  // Open PR #5148 (addendum A3.1).
  PlaylistProvider: ["nd_playlist_provider_get_available_playlists", "nd_playlist_provider_get_playlist"],
};

/** Capabilities are detected, never declared: a `capabilities` key in a manifest is ignored. */
export function detectCapabilities(exportNames: readonly string[]): Capability[] {
  const names = new Set(exportNames);
  return (Object.keys(CAPABILITY_EXPORTS) as Capability[]).filter((c) => CAPABILITY_EXPORTS[c].some((e) => names.has(e)));
}

/** Load-time rules 7–9 (contract §1.7); the caller wraps the message as `manifest validation: …`. */
export function validateWithCapabilities(manifest: Manifest, capabilities: readonly Capability[], exportNames: readonly string[]): void {
  const p = manifest.permissions ?? {};
  if (capabilities.includes("Scrobbler") && !p.users) throw new Error("scrobbler capability requires 'users' permission to be declared in manifest");
  if (capabilities.includes("HTTPEndpoint") && !p.endpoints) throw new Error("HTTP endpoint capability requires 'endpoints' permission to be declared in manifest");
  if (capabilities.includes("PlaylistProvider") && !p.users) throw new Error("playlist provider capability requires 'users' permission to be declared in manifest");
  if (p.scheduler && !exportNames.includes("nd_scheduler_callback")) throw new Error("'scheduler' permission requires plugin to export 'nd_scheduler_callback' function");
  if (p.taskqueue && !exportNames.includes("nd_task_execute")) throw new Error("'taskqueue' permission requires plugin to export 'nd_task_execute' function");
}
