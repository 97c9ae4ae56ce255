// webhook-scrobbler: one JSON POST per listening event, for the users an admin selected.
//
//   {"event":"scrobble","user":{"userName":"alice","name":"Alice"},"track":{…},"timestamp":1714650123}
//
// Failures map to the scrobbler error kinds: network errors, 429 and 5xx are RETRY_LATER (the
// server keeps a scrobble and tries again), 401/403 NOT_AUTHORIZED, other 4xx UNRECOVERABLE.
import {
  Config,
  fail,
  handleAbort,
  HttpRequest,
  IsAuthorizedRequest,
  JSONWriter,
  Log,
  NOT_AUTHORIZED,
  NowPlayingRequest,
  parseJSON,
  PlaybackReportRequest,
  registerScrobbler,
  RETRY_LATER,
  ScrobbleRequest,
  Scrobbler,
  scrobblerError,
  TrackInfo,
  UNRECOVERABLE,
  Users,
} from "@tessitura/ndp-pdk";

export * from "@tessitura/ndp-pdk/exports/scrobbler";

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  handleAbort(message, fileName, line, column);
}

/** Config `events` is a JSON array (the admin's form saves it as JSON text); absent means all. */
function wants(event: string): bool {
  const configured = Config.get("events");
  if (configured === null) return true;
  const list = parseJSON(configured!);
  if (list === null || !list.isArray) return true;
  for (let i = 0; i < list.items.length; i++) if (list.items[i].asString() == event) return true;
  return false;
}

function writeTrack(w: JSONWriter, t: TrackInfo): void {
  w.beginObject("track").string("id", t.id).string("title", t.title).string("artist", t.artist).string("album", t.album);
  w.string("albumArtist", t.albumArtist).float("duration", t.duration).int("trackNumber", t.trackNumber).int("discNumber", t.discNumber);
  w.optString("mbzRecordingId", t.mbzRecordingId).optString("mbzAlbumId", t.mbzAlbumId).endObject();
}

/** Starts the event document: event name, the user (with their display name), the track. */
function begin(event: string, username: string, track: TrackInfo): JSONWriter {
  const w = new JSONWriter().beginObject().string("event", event);
  const user = Users.all().find(username);
  w.beginObject("user").string("userName", username).string("name", user !== null ? user.name : username).endObject();
  writeTrack(w, track);
  return w;
}

/** Posts the document; on failure the call fails with the matching scrobbler error kind. */
function deliver(event: string, w: JSONWriter): void {
  const body = w.endObject().toString();
  const url = Config.getString("webhookUrl");
  if (url.length == 0) {
    Log.info("dry run (no webhook configured): " + body);
    return;
  }
  const req = new HttpRequest("POST", url).bodyJSON(body).header("User-Agent", "Tessitura-webhook-scrobbler/1.0");
  const token = Config.getString("token");
  if (token.length > 0) req.header("Authorization", "Bearer " + token);
  const res = req.send();
  if (!res.ok) {
    fail(scrobblerError(RETRY_LATER, event + " webhook: " + res.error!));
    return;
  }
  const status = res.statusCode;
  if (status >= 200 && status < 300) {
    Log.debug(event + " delivered (" + status.toString() + ")");
    return;
  }
  const kind = status == 401 || status == 403 ? NOT_AUTHORIZED : status == 429 || status >= 500 ? RETRY_LATER : UNRECOVERABLE;
  fail(scrobblerError(kind, event + " webhook answered HTTP " + status.toString()));
}

class WebhookScrobbler extends Scrobbler {
  isAuthorized(req: IsAuthorizedRequest): bool {
    // The server already applied the admin's user selection; users outside it never get here.
    return Users.all().find(req.username) !== null;
  }

  nowPlaying(req: NowPlayingRequest): void {
    if (!wants("nowPlaying")) return;
    deliver("nowPlaying", begin("nowPlaying", req.username, req.track).int("position", req.position));
  }

  scrobble(req: ScrobbleRequest): void {
    if (!wants("scrobble")) return;
    deliver("scrobble", begin("scrobble", req.username, req.track).int("timestamp", req.timestamp));
  }

  playbackReport(req: PlaybackReportRequest): void {
    if (!wants("playbackReport")) return;
    const w = begin("playbackReport", req.username, req.track).string("state", req.state).int("positionMs", req.positionMs);
    w.float("playbackRate", req.playbackRate).string("playerId", req.playerId).string("playerName", req.playerName).int("timestamp", req.timestamp);
    deliver("playbackReport", w);
  }
}

registerScrobbler(new WebhookScrobbler());
