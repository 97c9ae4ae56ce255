// MetadataAgent capability (contract §3.1): artist and album information for Subsonic clients.
//
// Extend MetadataAgent, override the methods you support, register an instance, and re-export
// the capability's functions from your entry file:
//
//   export * from "@tessitura/ndp-pdk/exports/metadata-agent";
//   class MyAgent extends MetadataAgent { getArtistBiography(req: ArtistRequest): ArtistBiographyResponse | null { … } }
//   registerMetadataAgent(new MyAgent());
//
// Methods you do not override answer -2 ("not implemented"): the server asks the next agent.
// Return null (or an empty list) for "no data"; use fail() only for real faults, which
// Navidrome-compatible servers retry with back-off.
import { notImplemented } from "../lib/call";
import { Encodable, JSONValue, JSONWriter } from "../lib/json";
import { ArtistRef, encodeList, ImageInfo, SongRef } from "../lib/types";

/** `nd_get_artist_mbid` input. */
export class ArtistMBIDRequest {
  id: string = "";
  name: string = "";

  static decode(v: JSONValue): ArtistMBIDRequest {
    const r = new ArtistMBIDRequest();
    r.id = v.getString("id");
    r.name = v.getString("name");
    return r;
  }
}

/** Input of the artist URL, biography and images functions. `mbid` is empty when unknown. */
export class ArtistRequest {
  id: string = "";
  name: string = "";
  mbid: string = "";

  static decode(v: JSONValue): ArtistRequest {
    const r = new ArtistRequest();
    r.id = v.getString("id");
    r.name = v.getString("name");
    r.mbid = v.getString("mbid");
    return r;
  }
}

/** `nd_get_similar_artists` input; `limit` already includes the server's fetch multiplier. */
export class SimilarArtistsRequest {
  id: string = "";
  name: string = "";
  mbid: string = "";
  limit: i32 = 0;

  static decode(v: JSONValue): SimilarArtistsRequest {
    const r = new SimilarArtistsRequest();
    r.id = v.getString("id");
    r.name = v.getString("name");
    r.mbid = v.getString("mbid");
    r.limit = v.getI32("limit");
    return r;
  }
}

/** `nd_get_artist_top_songs` input. */
export class TopSongsRequest {
  id: string = "";
  name: string = "";
  mbid: string = "";
  count: i32 = 0;

  static decode(v: JSONValue): TopSongsRequest {
    const r = new TopSongsRequest();
    r.id = v.getString("id");
    r.name = v.getString("name");
    r.mbid = v.getString("mbid");
    r.count = v.getI32("count");
    return r;
  }
}

/** Input of the album info and album images functions (`artist` is the album artist). */
export class AlbumRequest {
  name: string = "";
  artist: string = "";
  mbid: string = "";

  static decode(v: JSONValue): AlbumRequest {
    const r = new AlbumRequest();
    r.name = v.getString("name");
    r.artist = v.getString("artist");
    r.mbid = v.getString("mbid");
    return r;
  }
}

/**
 * Input of the three similar-songs functions: a track (`id`, title as `name`, `artist`), an
 * album (`id`, `name`, album artist as `artist`) or an artist (`id`, `name`; no `artist`).
 */
export class SimilarSongsRequest {
  id: string = "";
  name: string = "";
  artist: string = "";
  mbid: string = "";
  count: i32 = 0;

  static decode(v: JSONValue): SimilarSongsRequest {
    const r = new SimilarSongsRequest();
    r.id = v.getString("id");
    r.name = v.getString("name");
    r.artist = v.getString("artist");
    r.mbid = v.getString("mbid");
    r.count = v.getI32("count");
    return r;
  }
}

export class ArtistMBIDResponse extends Encodable {
  constructor(public mbid: string) {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject().string("mbid", this.mbid).endObject();
  }
}

export class ArtistURLResponse extends Encodable {
  constructor(public url: string) {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject().string("url", this.url).endObject();
  }
}

/** HTML is allowed; the server sanitises it and turns newlines into spaces. */
export class ArtistBiographyResponse extends Encodable {
  constructor(public biography: string) {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject().string("biography", this.biography).endObject();
  }
}

export class SimilarArtistsResponse extends Encodable {
  constructor(public artists: ArtistRef[] = []) {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject();
    encodeList<ArtistRef>(w, "artists", this.artists);
    w.endObject();
  }
}

/** Images of an artist or album; the server keeps the three largest. */
export class ImagesResponse extends Encodable {
  constructor(public images: ImageInfo[] = []) {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject();
    encodeList<ImageInfo>(w, "images", this.images);
    w.endObject();
  }
}

/** Top songs or similar songs; the server matches them to library tracks, keeping your order. */
export class SongsResponse extends Encodable {
  constructor(public songs: SongRef[] = []) {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject();
    encodeList<SongRef>(w, "songs", this.songs);
    w.endObject();
  }
}

/** Album information; unlike the other answers, an object with empty strings counts as found. */
export class AlbumInfoResponse extends Encodable {
  name: string = "";
  mbid: string = "";
  description: string = "";
  url: string = "";

  encode(w: JSONWriter): void {
    w.beginObject().string("name", this.name).string("mbid", this.mbid).string("description", this.description).string("url", this.url).endObject();
  }
}

/** Override the functions your agent supports; the others answer "not implemented". */
export class MetadataAgent {
  getArtistMBID(req: ArtistMBIDRequest): ArtistMBIDResponse | null {
    return notImplemented<ArtistMBIDResponse | null>();
  }
  getArtistURL(req: ArtistRequest): ArtistURLResponse | null {
    return notImplemented<ArtistURLResponse | null>();
  }
  getArtistBiography(req: ArtistRequest): ArtistBiographyResponse | null {
    return notImplemented<ArtistBiographyResponse | null>();
  }
  getSimilarArtists(req: SimilarArtistsRequest): SimilarArtistsResponse | null {
    return notImplemented<SimilarArtistsResponse | null>();
  }
  getArtistImages(req: ArtistRequest): ImagesResponse | null {
    return notImplemented<ImagesResponse | null>();
  }
  getArtistTopSongs(req: TopSongsRequest): SongsResponse | null {
    return notImplemented<SongsResponse | null>();
  }
  getAlbumInfo(req: AlbumRequest): AlbumInfoResponse | null {
    return notImplemented<AlbumInfoResponse | null>();
  }
  getAlbumImages(req: AlbumRequest): ImagesResponse | null {
    return notImplemented<ImagesResponse | null>();
  }
  getSimilarSongsByTrack(req: SimilarSongsRequest): SongsResponse | null {
    return notImplemented<SongsResponse | null>();
  }
  getSimilarSongsByAlbum(req: SimilarSongsRequest): SongsResponse | null {
    return notImplemented<SongsResponse | null>();
  }
  getSimilarSongsByArtist(req: SimilarSongsRequest): SongsResponse | null {
    return notImplemented<SongsResponse | null>();
  }
}

let registered: MetadataAgent | null = null;

/** Makes `agent` answer the `nd_get_*` exports. Call it at the top level of your entry file. */
export function registerMetadataAgent(agent: MetadataAgent): void {
  registered = agent;
}

export function registeredMetadataAgent(): MetadataAgent | null {
  return registered;
}
