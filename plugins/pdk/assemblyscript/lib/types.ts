// Wire types shared by several capabilities and host services (contract §3.1, §3.2).
import { Encodable, JSONValue, JSONWriter } from "./json";

/** An artist reference: `name` always, the rest when known. */
export class ArtistRef extends Encodable {
  id: string = "";
  name: string = "";
  mbid: string = "";
  /** Later addition: sort name. */
  sortName: string = "";
  /** Later addition: participant role (`artist`, `albumartist`, …) and sub-role. */
  role: string = "";
  subRole: string = "";

  constructor(name: string = "", mbid: string = "", id: string = "") {
    super();
    this.name = name;
    this.mbid = mbid;
    this.id = id;
  }

  static decode(v: JSONValue): ArtistRef {
    const a = new ArtistRef(v.getString("name"), v.getString("mbid"), v.getString("id"));
    a.sortName = v.getString("sortName");
    a.role = v.getString("role");
    a.subRole = v.getString("subRole");
    return a;
  }

  static decodeList(items: JSONValue[]): ArtistRef[] {
    const out = new Array<ArtistRef>(0);
    for (let i = 0; i < items.length; i++) out.push(ArtistRef.decode(items[i]));
    return out;
  }

  encode(w: JSONWriter): void {
    w.beginObject().optString("id", this.id).string("name", this.name).optString("mbid", this.mbid);
    w.optString("sortName", this.sortName).optString("role", this.role).optString("subRole", this.subRole).endObject();
  }
}

/** An image and its size in pixels (the host sorts by size, largest first). */
export class ImageInfo extends Encodable {
  constructor(public url: string = "", public size: i32 = 0) {
    super();
  }

  encode(w: JSONWriter): void {
    w.beginObject().string("url", this.url).int("size", this.size).endObject();
  }
}

/**
 * A song as agents and sonic-similarity providers exchange it with the host. Only `name` is
 * required; the host matches results to library tracks by `id`, then `mbid`, then `isrc`,
 * then title/artist/album/duration.
 */
export class SongRef extends Encodable {
  id: string = "";
  name: string = "";
  mbid: string = "";
  isrc: string = "";
  artist: string = "";
  artistMbid: string = "";
  album: string = "";
  albumMbid: string = "";
  /** Seconds. */
  duration: f64 = 0;
  /** Later addition: milliseconds, preferred over `duration` when non-zero. */
  durationMs: i64 = 0;
  /** Later addition: all artists, preferred over `artist`/`artistMbid` for matching. */
  artists: ArtistRef[] = [];

  constructor(name: string = "", artist: string = "") {
    super();
    this.name = name;
    this.artist = artist;
  }

  static decode(v: JSONValue): SongRef {
    const s = new SongRef(v.getString("name"), v.getString("artist"));
    s.id = v.getString("id");
    s.mbid = v.getString("mbid");
    s.isrc = v.getString("isrc");
    s.artistMbid = v.getString("artistMbid");
    s.album = v.getString("album");
    s.albumMbid = v.getString("albumMbid");
    s.duration = v.getF64("duration");
    s.durationMs = v.getI64("durationMs");
    s.artists = ArtistRef.decodeList(v.getArray("artists"));
    return s;
  }

  encode(w: JSONWriter): void {
    w.beginObject().optString("id", this.id).string("name", this.name).optString("mbid", this.mbid).optString("isrc", this.isrc);
    w.optString("artist", this.artist).optString("artistMbid", this.artistMbid).optString("album", this.album).optString("albumMbid", this.albumMbid);
    w.optFloat("duration", this.duration).optInt("durationMs", this.durationMs);
    if (this.artists.length > 0) encodeList<ArtistRef>(w, "artists", this.artists);
    w.endObject();
  }
}

/**
 * A track as scrobblers and lyrics providers receive it (contract §3.2). `libraryId` and
 * `path` are only filled for plugins with `library.filesystem` whose scope holds the track.
 */
export class TrackInfo {
  id: string = "";
  title: string = "";
  album: string = "";
  /** Display strings, e.g. `A • B`. */
  artist: string = "";
  albumArtist: string = "";
  artists: ArtistRef[] = [];
  albumArtists: ArtistRef[] = [];
  /** Seconds. */
  duration: f64 = 0;
  trackNumber: i32 = 0;
  discNumber: i32 = 0;
  mbzRecordingId: string = "";
  mbzAlbumId: string = "";
  mbzReleaseGroupId: string = "";
  mbzReleaseTrackId: string = "";
  libraryId: i32 = 0;
  /** Relative to the library root. */
  path: string = "";

  static decode(v: JSONValue): TrackInfo {
    const t = new TrackInfo();
    t.id = v.getString("id");
    t.title = v.getString("title");
    t.album = v.getString("album");
    t.artist = v.getString("artist");
    t.albumArtist = v.getString("albumArtist");
    t.artists = ArtistRef.decodeList(v.getArray("artists"));
    t.albumArtists = ArtistRef.decodeList(v.getArray("albumArtists"));
    t.duration = v.getF64("duration");
    t.trackNumber = v.getI32("trackNumber");
    t.discNumber = v.getI32("discNumber");
    t.mbzRecordingId = v.getString("mbzRecordingId");
    t.mbzAlbumId = v.getString("mbzAlbumId");
    t.mbzReleaseGroupId = v.getString("mbzReleaseGroupId");
    t.mbzReleaseTrackId = v.getString("mbzReleaseTrackId");
    t.libraryId = v.getI32("libraryId");
    t.path = v.getString("path");
    return t;
  }
}

/** Writes `items` as the array member `name`. */
export function encodeList<T extends Encodable>(w: JSONWriter, name: string, items: T[]): void {
  w.beginArray(name);
  for (let i = 0; i < items.length; i++) items[i].encode(w);
  w.endArray();
}
