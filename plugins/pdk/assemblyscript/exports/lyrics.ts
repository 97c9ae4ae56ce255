// The Lyrics export:  export * from "@tessitura/ndp-pdk/exports/lyrics";
import { LyricsRequest, LyricsResponse, registeredLyricsProvider } from "../capabilities/lyrics";
import { FAILED, NOT_IMPLEMENTED, readRequest, respond } from "../lib/call";

export function nd_lyrics_get_lyrics(): i32 {
  const p = registeredLyricsProvider();
  if (p === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<LyricsResponse>(p.getLyrics(LyricsRequest.decode(req)));
}
