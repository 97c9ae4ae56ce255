// sonic-neighbours: "sounds like" from library metadata. Each candidate track is scored
// against the seed: same artist 0.35 (0.25 when credited), a shared genre 0.3, year 0.15,
// length 0.1, tempo 0.1. A path from A to B walks from A's neighbours to B's.
import {
  Config,
  fail,
  FindSonicPathRequest,
  handleAbort,
  JSONValue,
  Library,
  Matcher,
  registerSonicSimilarityProvider,
  SongRef,
  SonicMatch,
  SonicMatchesResponse,
  SonicSimilarityProvider,
  SonicSimilarTracksRequest,
  SubsonicAPI,
  urlEncode,
  Users,
} from "@tessitura/ndp-pdk";

export * from "@tessitura/ndp-pdk/exports/sonic-similarity";

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  handleAbort(message, fileName, line, column);
}

/** What a track is compared on. */
class Features {
  id: string = "";
  title: string = "";
  artist: string = "";
  album: string = "";
  genres: string[] = [];
  year: i32 = 0;
  /** Seconds. */
  duration: f64 = 0;
  bpm: i32 = 0;

  /** A Subsonic `song` entry (`genre`, or OpenSubsonic `genres: [{name}]`). */
  static fromSubsonic(v: JSONValue): Features {
    const f = new Features();
    f.id = v.getString("id");
    f.title = v.getString("title");
    f.artist = v.getString("artist");
    f.album = v.getString("album");
    f.year = v.getI32("year");
    f.duration = v.getF64("duration");
    f.bpm = v.getI32("bpm");
    const genres = v.getArray("genres");
    for (let i = 0; i < genres.length; i++) f.genres.push(genres[i].getString("name").toLowerCase());
    const genre = v.getString("genre");
    if (genre.length > 0 && !f.genres.includes(genre.toLowerCase())) f.genres.push(genre.toLowerCase());
    return f;
  }

  static fromSong(s: SongRef): Features {
    const f = new Features();
    f.id = s.id;
    f.title = s.name;
    f.artist = s.artist;
    f.album = s.album;
    f.duration = s.durationMs > 0 ? <f64>s.durationMs / 1000 : s.duration;
    return f;
  }

  toSong(): SongRef {
    const s = new SongRef(this.title, this.artist);
    s.id = this.id;
    s.album = this.album;
    s.duration = this.duration;
    return s;
  }
}

function closeness(a: f64, b: f64, scale: f64): f64 {
  return Math.max(0, 1 - Math.abs(a - b) / scale);
}

function similarity(a: Features, b: Features): f64 {
  let score: f64 = 0;
  const x = a.artist.toLowerCase();
  const y = b.artist.toLowerCase();
  if (x.length > 0 && x == y) score += 0.35;
  else if (x.length > 0 && y.length > 0 && (x.includes(y) || y.includes(x))) score += 0.25;
  for (let i = 0; i < a.genres.length; i++) {
    if (b.genres.includes(a.genres[i])) {
      score += 0.3;
      break;
    }
  }
  if (a.year > 0 && b.year > 0) score += 0.15 * closeness(a.year, b.year, 10);
  if (a.duration > 0 && b.duration > 0) score += 0.1 * closeness(a.duration, b.duration, Math.max(a.duration, b.duration));
  if (a.bpm > 0 && b.bpm > 0) score += 0.1 * closeness(a.bpm, b.bpm, 40);
  return Math.round(score * 1000) / 1000;
}

/** Whom to read the library as: config `user`, else the first admin, else the first user. */
function readingUser(): string {
  const configured = Config.getString("user");
  if (configured.length > 0) return configured;
  const admins = Users.admins();
  if (admins.ok && admins.users.length > 0) return admins.users[0].userName;
  const all = Users.all();
  return all.ok && all.users.length > 0 ? all.users[0].userName : "";
}

class Catalogue {
  tracks: Features[] = [];
  error: string | null = null;
}

/** Every track of the plugin's libraries (up to maxTracks each), read with search3. */
function catalogue(user: string): Catalogue {
  const c = new Catalogue();
  const libs = Library.all();
  if (!libs.ok) {
    c.error = "listing libraries: " + libs.error!;
    return c;
  }
  const size = Config.getInt("maxTracks", 500);
  for (let i = 0; i < libs.libraries.length; i++) {
    const id = libs.libraries[i].id;
    const r = SubsonicAPI.call("search3?query=&artistCount=0&albumCount=0&songCount=" + size.toString() + "&musicFolderId=" + id.toString() + "&u=" + urlEncode(user));
    if (!r.ok) {
      c.error = "reading library " + id.toString() + ": " + r.error!;
      return c;
    }
    const songs = r.response().getObject("searchResult3").getArray("song");
    for (let j = 0; j < songs.length; j++) c.tracks.push(Features.fromSubsonic(songs[j]));
  }
  return c;
}

/** The seed as the library knows it: via the matcher, else by id from the catalogue, else as sent. */
function describe(song: SongRef, user: string, known: Features[]): Features {
  const matched = Matcher.matchSongs([song], user);
  if (matched.ok && matched.tracks.length == 1 && matched.tracks[0] !== null) {
    const t = matched.tracks[0]!;
    const f = Features.fromSong(song);
    f.id = t.id;
    f.title = t.title;
    f.artist = t.artist;
    f.album = t.album;
    f.year = t.year;
    f.duration = t.duration;
    f.bpm = t.bpm;
    for (let i = 0; i < t.genres.length; i++) f.genres.push(t.genres[i].toLowerCase());
    return f;
  }
  for (let i = 0; i < known.length; i++) if (song.id.length > 0 && known[i].id == song.id) return known[i];
  return Features.fromSong(song);
}

class Scored {
  constructor(public track: Features, public score: f64) {}
}

function byScore(a: Scored, b: Scored): i32 {
  if (a.score != b.score) return a.score > b.score ? -1 : 1;
  return a.track.title < b.track.title ? -1 : a.track.title > b.track.title ? 1 : 0;
}

class Neighbours extends SonicSimilarityProvider {
  getSonicSimilarTracks(req: SonicSimilarTracksRequest): SonicMatchesResponse | null {
    const user = readingUser();
    if (user.length == 0) return fail<SonicMatchesResponse | null>("no user to read the library as: allow the plugin at least one user");
    const all = catalogue(user);
    if (all.error !== null) return fail<SonicMatchesResponse | null>(all.error!);
    const seed = describe(req.song, user, all.tracks);
    const scored = new Array<Scored>(0);
    for (let i = 0; i < all.tracks.length; i++) {
      const t = all.tracks[i];
      if (t.id == seed.id) continue;
      scored.push(new Scored(t, similarity(seed, t)));
    }
    scored.sort(byScore);
    const count = req.count > 0 ? req.count : 10;
    const matches = new Array<SonicMatch>(0);
    for (let i = 0; i < scored.length && i < count; i++) matches.push(new SonicMatch(scored[i].track.toSong(), scored[i].score));
    return new SonicMatchesResponse(matches);
  }

  findSonicPath(req: FindSonicPathRequest): SonicMatchesResponse | null {
    const user = readingUser();
    if (user.length == 0) return fail<SonicMatchesResponse | null>("no user to read the library as: allow the plugin at least one user");
    const all = catalogue(user);
    if (all.error !== null) return fail<SonicMatchesResponse | null>(all.error!);
    const start = describe(req.startSong, user, all.tracks);
    const end = describe(req.endSong, user, all.tracks);
    const count = req.count > 0 ? req.count : 25;
    const path = new Array<SonicMatch>(0);
    path.push(new SonicMatch(start.toSong(), 1));
    const used = new Set<string>();
    used.add(start.id);
    used.add(end.id);
    // Each step leans a little more towards the end track.
    for (let step = 1; step < count - 1; step++) {
      const t: f64 = <f64>step / <f64>(count - 1);
      let best: Features | null = null;
      let bestScore: f64 = -1;
      for (let i = 0; i < all.tracks.length; i++) {
        const c = all.tracks[i];
        if (used.has(c.id)) continue;
        const s = (1 - t) * similarity(start, c) + t * similarity(end, c);
        if (s > bestScore) {
          best = c;
          bestScore = s;
        }
      }
      if (best === null) break;
      used.add(best.id);
      path.push(new SonicMatch(best.toSong(), Math.round(bestScore * 1000) / 1000));
    }
    if (count > 1) path.push(new SonicMatch(end.toSong(), similarity(start, end)));
    return new SonicMatchesResponse(path);
  }
}

registerSonicSimilarityProvider(new Neighbours());
