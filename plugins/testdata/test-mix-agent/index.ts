// test-mix-agent: the three similar-songs exports of MetadataAgent (contract §3.1), for the web player's Instant Mix
// (e2e/13-web-player.spec.ts). Unlike test-library-agent it declares a config schema, so the admin API (and the
// plugin page) can configure it. Each export logs `similar <kind> <name>` (info) and answers {"songs": <config
// `songs`>} verbatim (a JSON array of SongRef naming library songs). Without `songs` it returns -2 with no output
// ("not implemented": the host asks the next agent).
import { abortWithError, configString, logInfo, output, requestOrError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

function similar(kind: string): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  logInfo("similar " + kind + " " + req.str("name"));
  const songs = configString("songs");
  if (songs.length == 0) return -2;
  output('{"songs":' + songs + "}");
  return 0;
}

export function nd_get_similar_songs_by_track(): i32 {
  return similar("track");
}

export function nd_get_similar_songs_by_album(): i32 {
  return similar("album");
}

export function nd_get_similar_songs_by_artist(): i32 {
  return similar("artist");
}
