// test-metadata-agent: all 11 MetadataAgent exports with deterministic fake data (contract §3.1 / §8).
// Config `error`: when set (non-empty) every method sets it as the Extism error and returns -1.
import { abortWithError, failFromConfig, JValue, output, q, requestOrError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

/** Shared prologue: config error check + request decoding. Returns null when the export must return -1. */
function begin(): JValue | null {
  if (failFromConfig()) return null;
  return requestOrError();
}

function count(req: JValue, field: string): i32 {
  const n = <i32>req.int(field, 0);
  return n == 0 ? 5 : n;
}

function imageJSON(url: string, size: i32): string {
  return '{"url":' + q(url) + ',"size":' + size.toString() + "}";
}

export function nd_get_artist_mbid(): i32 {
  const req = begin();
  if (req === null) return -1;
  output('{"mbid":' + q("test-mbid-" + req.str("name")) + "}");
  return 0;
}

export function nd_get_artist_url(): i32 {
  const req = begin();
  if (req === null) return -1;
  output('{"url":' + q("https://test.example.com/artist/" + req.str("name")) + "}");
  return 0;
}

export function nd_get_artist_biography(): i32 {
  const req = begin();
  if (req === null) return -1;
  output('{"biography":' + q("Biography for " + req.str("name")) + "}");
  return 0;
}

export function nd_get_artist_images(): i32 {
  const req = begin();
  if (req === null) return -1;
  const name = req.str("name");
  output(
    '{"images":[' +
      imageJSON("https://test.example.com/images/" + name + "/large.jpg", 500) +
      "," +
      imageJSON("https://test.example.com/images/" + name + "/small.jpg", 100) +
      "]}",
  );
  return 0;
}

export function nd_get_similar_artists(): i32 {
  const req = begin();
  if (req === null) return -1;
  const name = req.str("name");
  const limit = count(req, "limit");
  const parts: string[] = [];
  for (let i = 0; i < limit; i++) {
    const n = (i + 1).toString();
    // Like the Go original: 'A' + i, which leaves ASCII after 26 entries (non-ASCII names exercise UTF-8 output).
    parts.push(
      '{"id":' + q("similar-artist-id-" + n) + ',"name":' + q(name + " Similar " + String.fromCharCode(65 + i)) +
        ',"mbid":' + q("similar-mbid-" + n) + "}",
    );
  }
  output('{"artists":[' + parts.join(",") + "]}");
  return 0;
}

export function nd_get_artist_top_songs(): i32 {
  const req = begin();
  if (req === null) return -1;
  const name = req.str("name");
  const c = count(req, "count");
  const parts: string[] = [];
  for (let i = 0; i < c; i++) {
    const n = (i + 1).toString();
    parts.push('{"id":' + q("song-id-" + n) + ',"name":' + q(name + " Song " + n) + ',"mbid":' + q("song-mbid-" + n) + "}");
  }
  output('{"songs":[' + parts.join(",") + "]}");
  return 0;
}

export function nd_get_album_info(): i32 {
  const req = begin();
  if (req === null) return -1;
  const name = req.str("name");
  const artist = req.str("artist");
  output(
    '{"name":' + q(name) + ',"mbid":' + q("test-album-mbid-" + name) + ',"description":' +
      q("Description for " + name + " by " + artist) + ',"url":' + q("https://test.example.com/album/" + name) + "}",
  );
  return 0;
}

export function nd_get_album_images(): i32 {
  const req = begin();
  if (req === null) return -1;
  output('{"images":[' + imageJSON("https://test.example.com/albums/" + req.str("name") + "/cover.jpg", 500) + "]}");
  return 0;
}

export function nd_get_similar_songs_by_track(): i32 {
  const req = begin();
  if (req === null) return -1;
  const name = req.str("name");
  const artist = req.str("artist");
  const c = count(req, "count");
  const parts: string[] = [];
  for (let i = 0; i < c; i++) {
    const n = (i + 1).toString();
    let s = '{"id":' + q("similar-track-id-" + n) + ',"name":' + q("Similar to " + name + " #" + n) + ',"mbid":' +
      q("similar-mbid-" + n);
    if (artist.length > 0) s += ',"artist":' + q(artist);
    s += ',"artistMbid":' + q("artist-mbid-" + n) + "}";
    parts.push(s);
  }
  output('{"songs":[' + parts.join(",") + "]}");
  return 0;
}

export function nd_get_similar_songs_by_album(): i32 {
  const req = begin();
  if (req === null) return -1;
  const name = req.str("name");
  const artist = req.str("artist");
  const c = count(req, "count");
  const parts: string[] = [];
  for (let i = 0; i < c; i++) {
    const n = (i + 1).toString();
    let s = '{"id":' + q("album-similar-id-" + n) + ',"name":' + q("Album Similar #" + n);
    if (artist.length > 0) s += ',"artist":' + q(artist);
    if (name.length > 0) s += ',"album":' + q(name);
    parts.push(s + "}");
  }
  output('{"songs":[' + parts.join(",") + "]}");
  return 0;
}

export function nd_get_similar_songs_by_artist(): i32 {
  const req = begin();
  if (req === null) return -1;
  const name = req.str("name");
  const c = count(req, "count");
  const parts: string[] = [];
  for (let i = 0; i < c; i++) {
    const n = (i + 1).toString();
    parts.push(
      '{"id":' + q("artist-similar-id-" + n) + ',"name":' + q(name + " Style Song #" + n) + ',"artist":' +
        q(name + " Similar Artist") + "}",
    );
  }
  output('{"songs":[' + parts.join(",") + "]}");
  return 0;
}
