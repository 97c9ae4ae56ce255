// SonicSimilarity capability (contract §3.4): tracks that sound alike, and paths between two
// tracks, for `getSonicSimilarTracks` and `findSonicPath`. The server matches your songs to
// library tracks (id, then MusicBrainz id, ISRC, title/artist) and drops the ones it cannot find.
//
//   export * from "@tessitura/ndp-pdk/exports/sonic-similarity";
//   class MySimilarity extends SonicSimilarityProvider { … }
//   registerSonicSimilarityProvider(new MySimilarity());
import { notImplemented } from "../lib/call";
import { Encodable, JSONValue, JSONWriter } from "../lib/json";
import { encodeList, SongRef } from "../lib/types";

export class SonicSimilarTracksRequest {
  song: SongRef = new SongRef();
  count: i32 = 0;

  static decode(v: JSONValue): SonicSimilarTracksRequest {
    const r = new SonicSimilarTracksRequest();
    r.song = SongRef.decode(v.getObject("song"));
    r.count = v.getI32("count");
    return r;
  }
}

export class FindSonicPathRequest {
  startSong: SongRef = new SongRef();
  endSong: SongRef = new SongRef();
  count: i32 = 0;

  static decode(v: JSONValue): FindSonicPathRequest {
    const r = new FindSonicPathRequest();
    r.startSong = SongRef.decode(v.getObject("startSong"));
    r.endSong = SongRef.decode(v.getObject("endSong"));
    r.count = v.getI32("count");
    return r;
  }
}

export class SonicMatch extends Encodable {
  constructor(public song: SongRef, public similarity: f64) {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject().key("song");
    this.song.encode(w);
    w.float("similarity", this.similarity).endObject();
  }
}

export class SonicMatchesResponse extends Encodable {
  constructor(public matches: SonicMatch[] = []) {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject();
    encodeList<SonicMatch>(w, "matches", this.matches);
    w.endObject();
  }
}

export class SonicSimilarityProvider {
  getSonicSimilarTracks(req: SonicSimilarTracksRequest): SonicMatchesResponse | null {
    return notImplemented<SonicMatchesResponse | null>();
  }
  findSonicPath(req: FindSonicPathRequest): SonicMatchesResponse | null {
    return notImplemented<SonicMatchesResponse | null>();
  }
}

let registered: SonicSimilarityProvider | null = null;

export function registerSonicSimilarityProvider(provider: SonicSimilarityProvider): void {
  registered = provider;
}

export function registeredSonicSimilarityProvider(): SonicSimilarityProvider | null {
  return registered;
}
