// now-playing-broadcaster: every `intervalSeconds` (a recurring schedule made in nd_on_init)
// reads getNowPlaying through the SubsonicAPI service and sends it over a WebSocket as
//
//   {"type":"nowPlaying","at":1714650123,"entries":[{"user":"alice","title":…,"coverArt":"http://…/share/img/…"}]}
//
// Schedules and sockets end with every unload, so onInit sets both up again after each load.
import {
  Artwork,
  ConfigService,
  handleAbort,
  JSONWriter,
  Lifecycle,
  Log,
  registerLifecycle,
  registerSchedulerCallback,
  registerWebSocketCallback,
  Scheduler,
  SchedulerCallback,
  SchedulerCallbackRequest,
  SubsonicAPI,
  Time,
  urlEncode,
  Users,
  WebSocket,
  WebSocketCallback,
  WebSocketClose,
  WebSocketError,
  WebSocketTextMessage,
} from "@tessitura/ndp-pdk";

export * from "@tessitura/ndp-pdk/exports/lifecycle";
export * from "@tessitura/ndp-pdk/exports/scheduler-callback";
export * from "@tessitura/ndp-pdk/exports/websocket-callback";

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  handleAbort(message, fileName, line, column);
}

const CONNECTION = "now-playing";
const RECONNECT_SECONDS = 10;

function socketUrl(): string {
  return ConfigService.get("url").value;
}

function connect(): void {
  const url = socketUrl();
  if (url.length == 0) return;
  const r = WebSocket.connect(url, null, CONNECTION);
  if (r.ok) Log.info("connected to " + url);
  else {
    Log.warn("cannot connect to " + url + ": " + r.error! + "; retrying in " + RECONNECT_SECONDS.toString() + " s");
    scheduleReconnect();
  }
}

function scheduleReconnect(): void {
  // An ID that is still scheduled is refused, which is what we want: one reconnect at a time.
  Scheduler.scheduleOneTime(RECONNECT_SECONDS, "reconnect", "reconnect");
}

/** The current now-playing list as the update message, or null when it cannot be read. */
function nowPlayingMessage(): string | null {
  const admins = Users.admins();
  if (!admins.ok || admins.users.length == 0) {
    Log.warn("no admin among the plugin's users: allow one to read the now-playing list");
    return null;
  }
  const r = SubsonicAPI.call("getNowPlaying?u=" + urlEncode(admins.users[0].userName));
  if (!r.succeeded) {
    Log.warn("getNowPlaying failed: " + (r.error !== null ? r.error! : r.json));
    return null;
  }
  const entries = r.response().getObject("nowPlaying").getArray("entry");
  const w = new JSONWriter().beginObject().string("type", "nowPlaying").int("at", Time.nowSeconds()).beginArray("entries");
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    w.beginObject().string("user", e.getString("username")).string("player", e.getString("playerName")).string("state", e.getString("state"));
    w.string("trackId", e.getString("id")).string("title", e.getString("title")).string("artist", e.getString("artist")).string("album", e.getString("album"));
    w.int("positionMs", e.getI64("positionMs"));
    const albumId = e.getString("albumId");
    if (albumId.length > 0) w.string("coverArt", Artwork.albumURL(albumId, 300).value);
    w.endObject();
  }
  return w.endArray().endObject().toString();
}

function broadcast(): void {
  const message = nowPlayingMessage();
  if (message === null) return;
  if (socketUrl().length == 0) {
    Log.info("now playing: " + message);
    return;
  }
  const sent = WebSocket.sendText(CONNECTION, message);
  if (!sent.ok) {
    Log.warn("not connected (" + sent.error! + "); reconnecting");
    scheduleReconnect();
  }
}

class Start extends Lifecycle {
  onInit(): void {
    const interval = ConfigService.getInt("intervalSeconds");
    const seconds = interval.exists && interval.value > 0 ? interval.value : 30;
    const scheduled = Scheduler.scheduleRecurring("@every " + seconds.toString() + "s", "broadcast", "broadcast");
    if (!scheduled.ok) Log.error("cannot schedule updates: " + scheduled.error!);
    Log.info("broadcasting every " + seconds.toString() + " s; configured: " + ConfigService.keys().values.join(", "));
    connect();
  }
}

class Ticks extends SchedulerCallback {
  onCallback(req: SchedulerCallbackRequest): void {
    if (req.payload == "broadcast") broadcast();
    else if (req.payload == "reconnect") connect();
  }
}

class Socket extends WebSocketCallback {
  onTextMessage(req: WebSocketTextMessage): void {
    if (req.message == "ping") WebSocket.sendText(req.connectionId, "pong");
    else if (req.message == "now") broadcast();
  }

  onClose(req: WebSocketClose): void {
    Log.info("connection closed (" + req.code.toString() + " " + req.reason + "); reconnecting in " + RECONNECT_SECONDS.toString() + " s");
    scheduleReconnect();
  }

  onError(req: WebSocketError): void {
    Log.warn("connection failed: " + req.error + "; reconnecting in " + RECONNECT_SECONDS.toString() + " s");
    scheduleReconnect();
  }
}

registerLifecycle(new Start());
registerSchedulerCallback(new Ticks());
registerWebSocketCallback(new Socket());
