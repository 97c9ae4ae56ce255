// play-counter: scrobbles counted in the KV store under
//   plays:<user>                  all plays of a user
//   artist:<user>:<artist>        plays of one artist by a user
//   last:<user>                   the last track played (JSON)
// Counters are decimal text. The custom export `play_counts` answers, for {"username": "alice", "top": 5}:
//   {"username":"alice","plays":12,"topArtists":[{"artist":"Björk","plays":7},…],"last":{…}}
import {
  Config,
  FAILED,
  handleAbort,
  IsAuthorizedRequest,
  JSONWriter,
  KVStore,
  Log,
  parseInteger,
  parseJSON,
  readRequest,
  registerScrobbler,
  respondEmpty,
  respondJSON,
  ScrobbleRequest,
  Scrobbler,
} from "@tessitura/ndp-pdk";

export * from "@tessitura/ndp-pdk/exports/scrobbler";

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  handleAbort(message, fileName, line, column);
}

function counterValue(bytes: Uint8Array): i64 {
  const parsed = parseInteger(String.UTF8.decode(bytes.buffer));
  return parsed.ok ? parsed.value : 0;
}

/** Adds one to a counter; false (with the call failed) when the store refuses. */
function increment(key: string): bool {
  const current = KVStore.get(key);
  if (!current.check("reading " + key)) return false;
  const next = (current.exists ? counterValue(current.value) : 0) + 1;
  return KVStore.setString(key, next.toString()).check("writing " + key);
}

function ignored(artist: string): bool {
  const list = parseJSON(Config.getString("ignoreArtists", "[]"));
  if (list === null) return false;
  for (let i = 0; i < list.items.length; i++) if (list.items[i].asString().toLowerCase() == artist.toLowerCase()) return true;
  return false;
}

class PlayCounter extends Scrobbler {
  isAuthorized(req: IsAuthorizedRequest): bool {
    return true;
  }

  scrobble(req: ScrobbleRequest): void {
    const user = req.username.length > 0 ? req.username : "(unknown)";
    const artist = req.track.artists.length > 0 ? req.track.artists[0].name : req.track.artist;
    if (ignored(artist)) return;
    if (!increment("plays:" + user) || !increment("artist:" + user + ":" + artist)) return;
    const last = new JSONWriter().beginObject().string("title", req.track.title).string("artist", artist).int("timestamp", req.timestamp).endObject().toString();
    if (!KVStore.setString("last:" + user, last).check("writing last:" + user)) return;
    Log.info("counted " + req.track.title + " by " + artist + " for " + user);
  }

  // nowPlaying and playbackReport are left out: they answer "not implemented", which the
  // server takes as "nothing to do" for playback reports.
}

registerScrobbler(new PlayCounter());

class ArtistCount {
  constructor(public artist: string, public plays: i64) {}
}

function byPlays(a: ArtistCount, b: ArtistCount): i32 {
  if (a.plays != b.plays) return a.plays > b.plays ? -1 : 1;
  return a.artist < b.artist ? -1 : a.artist > b.artist ? 1 : 0;
}

/** Custom export: the counters of one user (`username`, default "admin"), top `top` artists (default 10). */
export function play_counts(): i32 {
  const req = readRequest();
  if (req === null) return FAILED;
  const user = req.getString("username", "admin");
  const top = req.getI32("top", 10);
  const prefix = "artist:" + user + ":";
  const keys = KVStore.list(prefix);
  if (!keys.check("listing counters")) return respondEmpty();
  const values = KVStore.getMany(keys.values);
  if (!values.check("reading counters")) return respondEmpty();
  const counts = new Array<ArtistCount>(0);
  for (let i = 0; i < keys.values.length; i++) {
    const key = keys.values[i];
    // list() matches prefixes ASCII case-insensitively; keep this user's keys only.
    if (!key.startsWith(prefix) || !values.values.has(key)) continue;
    counts.push(new ArtistCount(key.substring(prefix.length), counterValue(values.values.get(key))));
  }
  counts.sort(byPlays);
  const plays = KVStore.get("plays:" + user);
  const last = KVStore.get("last:" + user);
  const w = new JSONWriter().beginObject().string("username", user).int("plays", plays.exists ? counterValue(plays.value) : 0).beginArray("topArtists");
  for (let i = 0; i < counts.length && i < top; i++) w.beginObject().string("artist", counts[i].artist).int("plays", counts[i].plays).endObject();
  w.endArray();
  if (last.exists) w.raw("last", last.text());
  return respondJSON(w.endObject().toString());
}
