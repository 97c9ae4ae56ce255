// test-nowplaying-scrobbler: a scrobbler from before playback reports. It exports is_authorized (always true),
// now_playing and scrobble, but not nd_scrobbler_playback_report, which the host must then skip silently.
// Each call to now_playing / scrobble logs one info line: "<export name> <request JSON>".
import { abortWithError, inputString, logInfo, output } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

export function nd_scrobbler_is_authorized(): i32 {
  output("true");
  return 0;
}

export function nd_scrobbler_now_playing(): i32 {
  logInfo("nd_scrobbler_now_playing " + inputString());
  return 0;
}

export function nd_scrobbler_scrobble(): i32 {
  logInfo("nd_scrobbler_scrobble " + inputString());
  return 0;
}
