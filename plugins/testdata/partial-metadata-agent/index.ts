// partial-metadata-agent: exports all 11 MetadataAgent functions like the Go PDK does, but only
// nd_get_artist_biography is implemented; the other ten return -2 ("not implemented" ⇒ not found / next agent).
import { abortWithError, output, q, requestOrError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

const NOT_IMPLEMENTED: i32 = -2;

export function nd_get_artist_biography(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  output('{"biography":' + q("Partial biography for " + req.str("name")) + "}");
  return 0;
}

export function nd_get_artist_mbid(): i32 { return NOT_IMPLEMENTED; }
export function nd_get_artist_url(): i32 { return NOT_IMPLEMENTED; }
export function nd_get_similar_artists(): i32 { return NOT_IMPLEMENTED; }
export function nd_get_artist_images(): i32 { return NOT_IMPLEMENTED; }
export function nd_get_artist_top_songs(): i32 { return NOT_IMPLEMENTED; }
export function nd_get_album_info(): i32 { return NOT_IMPLEMENTED; }
export function nd_get_album_images(): i32 { return NOT_IMPLEMENTED; }
export function nd_get_similar_songs_by_track(): i32 { return NOT_IMPLEMENTED; }
export function nd_get_similar_songs_by_album(): i32 { return NOT_IMPLEMENTED; }
export function nd_get_similar_songs_by_artist(): i32 { return NOT_IMPLEMENTED; }
