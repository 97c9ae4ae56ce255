// test-library-agent: a MetadataAgent answering from its config (contract §3.1), so tests can
// return real library songs and artists. Each export logs "call <export>" (info) first.
// Config keys (JSON text unless noted): `mbid`, `url`, `biography` (plain strings);
// `images`, `similarArtists`, `topSongs`, `similarSongs`, `albumImages` (arrays);
// `albumInfo` (object). A missing key answers `null` ("no data"). `error`: every export
// fails with that message. `loop` = "true": exports loop forever (timeouts).
import { abortWithError, configHas, configString, failFromConfig, logInfo, output, q } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

function begin(name: string): bool {
  logInfo("call " + name);
  if (configString("loop") == "true") {
    let x: i32 = 0;
    while (x >= 0) x = (x + 1) & 0x7fffffff;
  }
  return !failFromConfig();
}

function str(name: string, key: string, field: string): i32 {
  if (!begin(name)) return -1;
  if (configHas(key)) output("{" + q(field) + ":" + q(configString(key)) + "}");
  else output("null");
  return 0;
}

function raw(name: string, key: string, field: string): i32 {
  if (!begin(name)) return -1;
  if (configHas(key)) output(field.length ? "{" + q(field) + ":" + configString(key) + "}" : configString(key));
  else output("null");
  return 0;
}

export function nd_get_artist_mbid(): i32 { return str("nd_get_artist_mbid", "mbid", "mbid"); }
export function nd_get_artist_url(): i32 { return str("nd_get_artist_url", "url", "url"); }
export function nd_get_artist_biography(): i32 { return str("nd_get_artist_biography", "biography", "biography"); }
export function nd_get_artist_images(): i32 { return raw("nd_get_artist_images", "images", "images"); }
export function nd_get_similar_artists(): i32 { return raw("nd_get_similar_artists", "similarArtists", "artists"); }
export function nd_get_artist_top_songs(): i32 { return raw("nd_get_artist_top_songs", "topSongs", "songs"); }
export function nd_get_album_info(): i32 { return raw("nd_get_album_info", "albumInfo", ""); }
export function nd_get_album_images(): i32 { return raw("nd_get_album_images", "albumImages", "images"); }
export function nd_get_similar_songs_by_track(): i32 { return raw("nd_get_similar_songs_by_track", "similarSongs", "songs"); }
export function nd_get_similar_songs_by_album(): i32 { return raw("nd_get_similar_songs_by_album", "similarSongs", "songs"); }
export function nd_get_similar_songs_by_artist(): i32 { return raw("nd_get_similar_songs_by_artist", "similarSongs", "songs"); }
