// Matcher host service (`matcher` permission, which needs `library`; a later Navidrome
// addition, contract §4.13): resolves songs to tracks of the plugin's libraries with the same
// matching the server uses for agents (id, MusicBrainz id, ISRC, then title/artist/album/duration).
import { hostRequest, hostResponse } from "../lib/host";
import { JSONValue, JSONWriter } from "../lib/json";
import { HostResult } from "../lib/results";
import { SongRef } from "../lib/types";

@external("extism:host/user", "matcher_matchsongs")
declare function matcher_matchsongs(offset: u64): u64;

/** A library track with the fields most plugins need; `raw` holds every field the host sent. */
export class MatchedTrack {
  id: string = "";
  libraryId: i32 = 0;
  title: string = "";
  album: string = "";
  artist: string = "";
  albumArtist: string = "";
  year: i32 = 0;
  /** Seconds. */
  duration: f64 = 0;
  bpm: i32 = 0;
  genres: string[] = [];
  mbzRecordingId: string = "";
  /** Relative to the library root; only with `library.filesystem`. */
  path: string = "";
  raw: JSONValue = JSONValue.object();

  static decode(v: JSONValue): MatchedTrack {
    const t = new MatchedTrack();
    t.id = v.getString("id");
    t.libraryId = v.getI32("libraryId");
    t.title = v.getString("title");
    t.album = v.getString("album");
    t.artist = v.getString("artist");
    t.albumArtist = v.getString("albumArtist");
    t.year = v.getI32("year");
    t.duration = v.getF64("duration");
    t.bpm = v.getI32("bpm");
    t.genres = v.getStrings("genres");
    t.mbzRecordingId = v.getString("mbzRecordingId");
    t.path = v.getString("path");
    t.raw = v;
    return t;
  }
}

export class MatchResult extends HostResult {
  /** One entry per input song, in order; null where nothing matched. */
  tracks: Array<MatchedTrack | null> = [];
}

export class Matcher {
  /** With `username`, only that user's libraries are searched and their favourites break ties. */
  static matchSongs(songs: SongRef[], username: string = ""): MatchResult {
    const w = new JSONWriter().beginObject().beginArray("songs");
    for (let i = 0; i < songs.length; i++) songs[i].encode(w);
    w.endArray().beginObject("opts").optString("username", username).endObject().endObject();
    const res = hostResponse(matcher_matchsongs(hostRequest(w.toString())));
    const r = new MatchResult();
    if (r.takeError(res)) return r;
    const items = res.getArray("results");
    for (let i = 0; i < items.length; i++) r.tracks.push(items[i].isObject ? MatchedTrack.decode(items[i]) : null);
    return r;
  }
}
