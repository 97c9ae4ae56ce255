// test-scrobbler: the four Scrobbler exports (contract §3.2 / §8).
// Config:
//   authorized  bool string (Go strconv.ParseBool syntax), default true; drives nd_scrobbler_is_authorized.
//   error       when non-empty, now_playing / scrobble / playback_report fail with
//               "<token>: <error>" where the token comes from error_type.
//   error_type  "not_authorized" | "retry_later" | anything else (unrecoverable); the full tokens
//               "scrobbler(not_authorized)" / "scrobbler(retry_later)" / "scrobbler(unrecoverable)" are accepted too.
// Each successful call logs one info line describing the track/state.
import { abortWithError, configString, configHas, JValue, logInfo, output, requestOrError, setError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

/** strconv.ParseBool; returns -1 when the text is not a valid bool. */
function parseBool(s: string): i32 {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") return 1;
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") return 0;
  return -1;
}

function authorized(): bool {
  if (!configHas("authorized")) return true;
  const b = parseBool(configString("authorized"));
  return b != 0; // parse error ⇒ default true
}

/** Sets the configured scrobbler error, if any; returns true when the export must fail. */
function configError(): bool {
  const msg = configString("error");
  if (msg.length == 0) return false;
  const t = configString("error_type");
  let token = "scrobbler(unrecoverable)";
  if (t == "not_authorized" || t == "scrobbler(not_authorized)") token = "scrobbler(not_authorized)";
  else if (t == "retry_later" || t == "scrobbler(retry_later)") token = "scrobbler(retry_later)";
  setError(token + ": " + msg);
  return true;
}

function firstArtist(track: JValue): string {
  const artists = track.get("artists");
  if (artists !== null && artists.items.length > 0) return artists.items[0].str("name");
  return "";
}

export function nd_scrobbler_is_authorized(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  output(authorized() ? "true" : "false");
  return 0;
}

export function nd_scrobbler_now_playing(): i32 {
  if (configError()) return -1;
  const req = requestOrError();
  if (req === null) return -1;
  const track = req.obj("track");
  logInfo("NowPlaying: " + track.str("title") + " by " + firstArtist(track) + " (user " + req.str("username") +
    ", position " + req.int("position").toString() + ")");
  return 0;
}

export function nd_scrobbler_scrobble(): i32 {
  if (configError()) return -1;
  const req = requestOrError();
  if (req === null) return -1;
  const track = req.obj("track");
  logInfo("Scrobble: " + track.str("title") + " by " + firstArtist(track) + " (user " + req.str("username") +
    ", timestamp " + req.int("timestamp").toString() + ")");
  return 0;
}

export function nd_scrobbler_playback_report(): i32 {
  if (configError()) return -1;
  const req = requestOrError();
  if (req === null) return -1;
  const track = req.obj("track");
  logInfo("PlaybackReport: " + req.str("state") + " " + track.str("title") + " by " + firstArtist(track) +
    " (user " + req.str("username") + ", positionMs " + req.int("positionMs").toString() + ", player " +
    req.str("playerName") + ")");
  return 0;
}
