// test-scrobble-recorder: the four Scrobbler exports, logging each request verbatim so tests can check every field.
// Config:
//   authorized      Go ParseBool string, default true; drives nd_scrobbler_is_authorized (which logs nothing).
//   fail_now_playing, fail_scrobble, fail_playback_report
//                   when non-empty, that export fails with this exact error message (put a token such as
//                   "scrobbler(retry_later): down" in it).
//   playback_report "not_implemented" makes nd_scrobbler_playback_report return -2 without an error.
// Each successful call logs one info line: "<export name> <request JSON>".
import { abortWithError, configHas, configString, inputString, logInfo, output, setError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

function authorized(): bool {
  if (!configHas("authorized")) return true;
  const s = configString("authorized");
  return !(s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False");
}

function record(name: string, failKey: string): i32 {
  const failure = configString(failKey);
  if (failure.length > 0) {
    setError(failure);
    return -1;
  }
  logInfo(name + " " + inputString());
  return 0;
}

export function nd_scrobbler_is_authorized(): i32 {
  output(authorized() ? "true" : "false");
  return 0;
}

export function nd_scrobbler_now_playing(): i32 {
  return record("nd_scrobbler_now_playing", "fail_now_playing");
}

export function nd_scrobbler_scrobble(): i32 {
  return record("nd_scrobbler_scrobble", "fail_scrobble");
}

export function nd_scrobbler_playback_report(): i32 {
  if (configString("playback_report") == "not_implemented") return -2;
  return record("nd_scrobbler_playback_report", "fail_playback_report");
}
