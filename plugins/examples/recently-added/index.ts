// recently-added: one read-only playlist per user with the tracks of the newest albums that
// user can see (Subsonic getAlbumList2 type=newest, then getAlbum for the tracks). The server
// calls availablePlaylists at load and every refreshMinutes, and re-reads each playlist then.
import {
  AvailablePlaylists,
  Config,
  fail,
  GetPlaylistRequest,
  handleAbort,
  JSONValue,
  PlaylistInfo,
  playlistNotFound,
  PlaylistProvider,
  ProvidedPlaylist,
  registerPlaylistProvider,
  SongRef,
  SubsonicAPI,
  urlEncode,
  Users,
} from "@tessitura/ndp-pdk";

export * from "@tessitura/ndp-pdk/exports/playlist-provider";

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  handleAbort(message, fileName, line, column);
}

const ID_PREFIX = "recent:";
/** Albums asked for per getAlbumList2 page, and at most this many pages per playlist. */
const PAGE = 20;
const MAX_PAGES = 10;

/** The Subsonic response of `uri` as `user`, or null after fail(). */
function subsonic(uri: string, user: string): JSONValue | null {
  const r = SubsonicAPI.call(uri + "&u=" + urlEncode(user));
  if (!r.check(uri)) return null;
  const res = r.response();
  if (res.getString("status") != "ok") {
    fail(uri + ": " + res.getObject("error").getString("message"));
    return null;
  }
  return res;
}

/** Up to `max` tracks of the user's newest albums, newest album first, in album order. */
function newestTracks(user: string, max: i32): SongRef[] | null {
  const tracks: SongRef[] = [];
  for (let page = 0; page < MAX_PAGES && tracks.length < max; page++) {
    const list = subsonic("getAlbumList2?type=newest&size=" + PAGE.toString() + "&offset=" + (page * PAGE).toString(), user);
    if (list === null) return null;
    const albums = list.getObject("albumList2").getArray("album");
    for (let i = 0; i < albums.length && tracks.length < max; i++) {
      const album = subsonic("getAlbum?id=" + urlEncode(albums[i].getString("id")), user);
      if (album === null) return null;
      const songs = album.getObject("album").getArray("song");
      for (let j = 0; j < songs.length && tracks.length < max; j++) {
        // The library id matches first; title, artist and album are for other servers' matchers.
        const s = new SongRef(songs[j].getString("title"), songs[j].getString("artist"));
        s.id = songs[j].getString("id");
        s.album = songs[j].getString("album");
        s.duration = songs[j].getF64("duration");
        tracks.push(s);
      }
    }
    if (albums.length < PAGE) break;
  }
  return tracks;
}

class RecentlyAdded extends PlaylistProvider {
  availablePlaylists(): AvailablePlaylists | null {
    const users = Users.all();
    if (!users.check("listing users")) return null;
    const list: PlaylistInfo[] = [];
    for (let i = 0; i < users.users.length; i++) list.push(new PlaylistInfo(ID_PREFIX + users.users[i].userName, users.users[i].userName));
    // Discovery re-reads every playlist, so the refresh also keeps their tracks current.
    return new AvailablePlaylists(list, <i64>Config.getInt("refreshMinutes", 60) * 60, 300);
  }

  playlist(req: GetPlaylistRequest): ProvidedPlaylist | null {
    if (!req.id.startsWith(ID_PREFIX)) return fail<ProvidedPlaylist | null>(playlistNotFound(req.id));
    const user = req.id.substring(ID_PREFIX.length);
    if (Users.all().find(user) === null) return fail<ProvidedPlaylist | null>(playlistNotFound("no user " + user));
    const max = <i32>Config.getInt("maxTracks", 50);
    const tracks = newestTracks(user, max);
    if (tracks === null) return null; // failed: the server retries after retryInterval
    const p = new ProvidedPlaylist("Recently added", tracks);
    p.description = "The " + max.toString() + " newest tracks in " + user + "'s libraries";
    return p;
  }
}
registerPlaylistProvider(new RecentlyAdded());
