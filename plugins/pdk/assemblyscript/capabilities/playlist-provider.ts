// PlaylistProvider capability (addendum A3; Navidrome open PR #5148, not in a release): the
// plugin offers playlists that the server keeps as read-only playlists of the named users.
// The plugin must declare the `users` permission; owners outside the admin's selection are skipped.
//
//   export * from "@tessitura/ndp-pdk/exports/playlist-provider";
//   class MyPlaylists extends PlaylistProvider {
//     availablePlaylists(): AvailablePlaylists | null { … }
//     playlist(req: GetPlaylistRequest): ProvidedPlaylist | null { … }
//   }
//   registerPlaylistProvider(new MyPlaylists());
//
// Tracks are SongRefs (title + artist is enough; MusicBrainz id or ISRC match first); the
// server resolves them against its library and drops the ones it cannot find.
import { notImplemented } from "../lib/call";
import { Encodable, JSONValue, JSONWriter } from "../lib/json";
import { encodeList, SongRef } from "../lib/types";

/**
 * The error text by which a playlist is "currently unavailable": the server keeps what it
 * stored and stops refreshing it until the next discovery. Any other failure is retried
 * after `retryInterval`.
 *
 *   fail(playlistNotFound("no such chart"));
 *   return null;
 */
export function playlistNotFound(message: string): string {
  return "playlist_provider(not_found): " + message;
}

/** One playlist: your own id (unique within the plugin) and the user who will own it. */
export class PlaylistInfo extends Encodable {
  constructor(public id: string = "", public ownerUsername: string = "") {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject().string("id", this.id).string("ownerUsername", this.ownerUsername).endObject();
  }
}

/** Your playlists and the schedule, in seconds: 0 never re-discovers / never retries. */
export class AvailablePlaylists extends Encodable {
  constructor(
    public playlists: PlaylistInfo[] = [],
    public refreshInterval: i64 = 0,
    public retryInterval: i64 = 0,
  ) {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject();
    encodeList<PlaylistInfo>(w, "playlists", this.playlists);
    w.int("refreshInterval", this.refreshInterval).int("retryInterval", this.retryInterval).endObject();
  }
}

export class GetPlaylistRequest {
  id: string = "";

  static decode(v: JSONValue): GetPlaylistRequest {
    const r = new GetPlaylistRequest();
    r.id = v.getString("id");
    return r;
  }
}

/** A playlist's content. `validUntil` (Unix seconds) makes the server fetch it again then; 0 = static. */
export class ProvidedPlaylist extends Encodable {
  description: string = "";
  coverArtUrl: string = "";
  validUntil: i64 = 0;

  constructor(
    public name: string = "",
    public tracks: SongRef[] = [],
  ) {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject().string("name", this.name).optString("description", this.description).optString("coverArtUrl", this.coverArtUrl);
    encodeList<SongRef>(w, "tracks", this.tracks);
    w.int("validUntil", this.validUntil).endObject();
  }
}

export class PlaylistProvider {
  /** Called when the plugin loads and then every `refreshInterval` seconds. */
  availablePlaylists(): AvailablePlaylists | null {
    return notImplemented<AvailablePlaylists | null>();
  }
  /** One playlist's content; fail with `playlistNotFound(…)` when it is currently unavailable. */
  playlist(req: GetPlaylistRequest): ProvidedPlaylist | null {
    return notImplemented<ProvidedPlaylist | null>();
  }
}

let registered: PlaylistProvider | null = null;

export function registerPlaylistProvider(provider: PlaylistProvider): void {
  registered = provider;
}

export function registeredPlaylistProvider(): PlaylistProvider | null {
  return registered;
}
