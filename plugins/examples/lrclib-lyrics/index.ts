// lrclib-lyrics: lyrics from https://lrclib.net/api/get (config `apiUrl` for a mirror), which
// matches on artist, title, album and duration (within a couple of seconds). Instrumentals and
// misses answer "no lyrics", so the server moves on to the next source in LyricsPriority.
import { Config, fail, handleAbort, Http, Log, LyricsProvider, LyricsRequest, LyricsResponse, LyricsText, registerLyricsProvider, urlEncode } from "@tessitura/ndp-pdk";

export * from "@tessitura/ndp-pdk/exports/lyrics";

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  handleAbort(message, fileName, line, column);
}


class LrclibLyrics extends LyricsProvider {
  getLyrics(req: LyricsRequest): LyricsResponse | null {
    const t = req.track;
    if (t.title.length == 0 || t.artist.length == 0) return null;
    let url = Config.getString("apiUrl", "https://lrclib.net/api") + "/get?artist_name=" + urlEncode(t.artist) + "&track_name=" + urlEncode(t.title);
    if (t.album.length > 0) url += "&album_name=" + urlEncode(t.album);
    if (t.duration > 0) url += "&duration=" + (<i64>Math.round(t.duration)).toString();

    const res = Http.get(url);
    if (!res.ok) return fail<LyricsResponse | null>("lrclib: " + res.error!);
    if (res.statusCode == 404) {
      Log.debug("no lyrics on LRCLIB for " + t.artist + " – " + t.title);
      return null;
    }
    if (!res.success) return fail<LyricsResponse | null>("lrclib: HTTP " + res.statusCode.toString());
    const body = res.json();
    if (body === null || !body.isObject) return fail<LyricsResponse | null>("lrclib: malformed answer");
    if (body.getBool("instrumental")) return null;

    const synced = body.getString("syncedLyrics");
    const plain = body.getString("plainLyrics");
    const text = synced.length > 0 && (Config.getBool("preferSynced", true) || plain.length == 0) ? synced : plain;
    if (text.length == 0) return null;
    return new LyricsResponse([new LyricsText(text, Config.getString("language"))]);
  }
}

registerLyricsProvider(new LrclibLyrics());
