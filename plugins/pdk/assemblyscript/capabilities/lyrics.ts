// Lyrics capability (contract §3.3). The server asks plugins listed in `LyricsPriority`, in
// order, and keeps the first non-empty answer.
//
//   export * from "@tessitura/ndp-pdk/exports/lyrics";
//   class MyLyrics extends LyricsProvider { getLyrics(req: LyricsRequest): LyricsResponse | null { … } }
//   registerLyricsProvider(new MyLyrics());
import { notImplemented } from "../lib/call";
import { Encodable, JSONValue, JSONWriter } from "../lib/json";
import { encodeList, TrackInfo } from "../lib/types";

export class LyricsRequest {
  track: TrackInfo = new TrackInfo();

  static decode(v: JSONValue): LyricsRequest {
    const r = new LyricsRequest();
    r.track = TrackInfo.decode(v.getObject("track"));
    return r;
  }
}

/**
 * One lyrics text. Lines starting with `[mm:ss.xx]` make it synced (LRC, with `[ar:]`,
 * `[ti:]`, `[offset:]` tags); anything else is plain lines. An empty `lang` becomes `xxx`.
 */
export class LyricsText extends Encodable {
  constructor(public text: string = "", public lang: string = "") {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject().optString("lang", this.lang).string("text", this.text).endObject();
  }
}

export class LyricsResponse extends Encodable {
  constructor(public lyrics: LyricsText[] = []) {
    super();
  }
  encode(w: JSONWriter): void {
    w.beginObject();
    encodeList<LyricsText>(w, "lyrics", this.lyrics);
    w.endObject();
  }
}

export class LyricsProvider {
  /** Lyrics for the track, or null (or an empty list) when you have none. */
  getLyrics(req: LyricsRequest): LyricsResponse | null {
    return notImplemented<LyricsResponse | null>();
  }
}

let registered: LyricsProvider | null = null;

export function registerLyricsProvider(provider: LyricsProvider): void {
  registered = provider;
}

export function registeredLyricsProvider(): LyricsProvider | null {
  return registered;
}
