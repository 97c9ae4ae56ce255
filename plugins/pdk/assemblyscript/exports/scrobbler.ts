// The Scrobbler exports:  export * from "@tessitura/ndp-pdk/exports/scrobbler";
import { IsAuthorizedRequest, NowPlayingRequest, PlaybackReportRequest, registeredScrobbler, ScrobbleRequest } from "../capabilities/scrobbler";
import { FAILED, NOT_IMPLEMENTED, readRequest, respondBool, respondEmpty } from "../lib/call";

export function nd_scrobbler_is_authorized(): i32 {
  const s = registeredScrobbler();
  if (s === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respondBool(s.isAuthorized(IsAuthorizedRequest.decode(req)));
}

export function nd_scrobbler_now_playing(): i32 {
  const s = registeredScrobbler();
  if (s === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  s.nowPlaying(NowPlayingRequest.decode(req));
  return respondEmpty();
}

export function nd_scrobbler_scrobble(): i32 {
  const s = registeredScrobbler();
  if (s === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  s.scrobble(ScrobbleRequest.decode(req));
  return respondEmpty();
}

export function nd_scrobbler_playback_report(): i32 {
  const s = registeredScrobbler();
  if (s === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  s.playbackReport(PlaybackReportRequest.decode(req));
  return respondEmpty();
}
