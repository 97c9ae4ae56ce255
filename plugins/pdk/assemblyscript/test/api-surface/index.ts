// Compile-only check of the whole PDK surface: every wrapper, every capability, every export
// (the PDK test builds it and checks it imports every host function of every service).
import * as pdk from "@tessitura/ndp-pdk";
export * from "@tessitura/ndp-pdk/exports/metadata-agent";
export * from "@tessitura/ndp-pdk/exports/scrobbler";
export * from "@tessitura/ndp-pdk/exports/lyrics";
export * from "@tessitura/ndp-pdk/exports/sonic-similarity";
export * from "@tessitura/ndp-pdk/exports/task-worker";
export * from "@tessitura/ndp-pdk/exports/lifecycle";
export * from "@tessitura/ndp-pdk/exports/scheduler-callback";
export * from "@tessitura/ndp-pdk/exports/websocket-callback";
export * from "@tessitura/ndp-pdk/exports/http-endpoint";
export * from "@tessitura/ndp-pdk/exports/playlist-provider";

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  pdk.handleAbort(message, fileName, line, column);
}

export function nd_everything(): i32 {
  const log = new Array<string>(0);
  const c = pdk.ConfigService.get("a"); log.push(c.value); 
  log.push(pdk.ConfigService.getInt("b").value.toString());
  log.push(pdk.ConfigService.keys("").values.join(","));
  const h = pdk.Http.get("https://x"); log.push(h.text()); log.push(h.header("content-type")); const j = h.json();
  pdk.Http.postJSON("https://x", "{}");
  new pdk.HttpRequest("PUT", "u").header("a", "b").bodyText("x").timeout(5).send();
  pdk.Cache.setString("k", "v", 5); pdk.Cache.getString("k"); pdk.Cache.setInt("k", 1); pdk.Cache.getInt("k"); pdk.Cache.setFloat("k", 1.5); pdk.Cache.getFloat("k"); pdk.Cache.setBytes("k", new Uint8Array(3)); pdk.Cache.getBytes("k").text(); pdk.Cache.has("k"); pdk.Cache.remove("k");
  pdk.KVStore.set("k", pdk.utf8("v")); pdk.KVStore.setString("k", "v"); pdk.KVStore.setWithTTL("k", new Uint8Array(1), 4); pdk.KVStore.get("k"); pdk.KVStore.getMany(["a"]); pdk.KVStore.has("k"); pdk.KVStore.list("p"); pdk.KVStore.delete("k"); pdk.KVStore.deleteByPrefix("p"); pdk.KVStore.storageUsed();
  pdk.Scheduler.scheduleOneTime(1, "p"); pdk.Scheduler.scheduleRecurring("@every 1s", "p", "id"); pdk.Scheduler.cancel("id");
  pdk.TaskQueue.create("q"); pdk.TaskQueue.enqueue("q", new Uint8Array(1)); pdk.TaskQueue.enqueueText("q", "x"); pdk.TaskQueue.get("t"); pdk.TaskQueue.cancel("t"); pdk.TaskQueue.clear("q");
  const m = new Map<string,string>(); m.set("a","b");
  pdk.WebSocket.connect("ws://x", m); pdk.WebSocket.connect("ws://x"); pdk.WebSocket.sendText("c", "m"); pdk.WebSocket.sendBinary("c", new Uint8Array(2)); pdk.WebSocket.close("c");
  pdk.Library.get(1); pdk.Library.all();
  const u = pdk.Users.all(); u.find("x"); pdk.Users.admins();
  pdk.Artwork.artistURL("a"); pdk.Artwork.albumURL("a", 300); pdk.Artwork.trackURL("a"); pdk.Artwork.playlistURL("a");
  const s = pdk.SubsonicAPI.call("ping?u=a"); s.response(); log.push(s.succeeded ? "y" : "n"); pdk.SubsonicAPI.callRaw("getCoverArt?u=a");
  const mm = pdk.Matcher.matchSongs([new pdk.SongRef("n", "a")], "u"); 
  pdk.Storage.path();
  const sp = pdk.ScrobbleRetriever.scrobbles("u", new pdk.ScrobbleOptions().from(1).to(2).newestFirst().pageSize(10)); if (sp.next !== null) pdk.ScrobbleRetriever.scrobbles("u", sp.next); pdk.ScrobbleRetriever.count("u"); pdk.ScrobbleRetriever.firstTimestamp("u"); pdk.ScrobbleRetriever.lastTimestamp("u").exists;
  pdk.FileSystem.readDir("/storage"); pdk.FileSystem.stat("/x"); pdk.FileSystem.exists("/x"); pdk.FileSystem.readFile("/x"); pdk.FileSystem.readText("/x"); pdk.FileSystem.writeFile("/x", new Uint8Array(1)); pdk.FileSystem.writeText("/x", "t", true); pdk.FileSystem.mkdir("/d"); pdk.FileSystem.removeFile("/x");
  log.push(pdk.Time.nowMillis().toString()); log.push(pdk.Random.hex(8)); pdk.Random.below(10); pdk.Time.nowSeconds();
  pdk.Log.trace("t"); pdk.Log.debug("d"); pdk.Log.warn("w"); pdk.Log.error("e");
  const v = pdk.parseJSON('{"a":[1,2.5,"x",true,null,{"b":12345678901234567}]}')!;
  log.push(v.toString()); log.push(v.getArray("a")[5].getI64("b").toString());
  log.push(pdk.encodeBase64(pdk.decodeBase64("aGVsbG8=")));
  log.push(pdk.Config.getBool("x").toString() + pdk.Config.getInt("y").toString() + pdk.Config.has("z").toString());
  const w = new pdk.JSONWriter().beginObject().strings("s", ["a"]).optStrings("t", []).optBytes("b", new Uint8Array(0)).bool("x", true).nullField("n").raw("r", "1").optBool("o", false).endObject();
  log.push(w.toString());
  log.push(pdk.scrobblerError(pdk.RETRY_LATER, "x"));
  if (pdk.failed()) return pdk.FAILED;
  return 0;
}

class A extends pdk.MetadataAgent {}
class S extends pdk.Scrobbler {
  isAuthorized(req: pdk.IsAuthorizedRequest): bool { return pdk.fail<bool>("no"); }
  scrobble(req: pdk.ScrobbleRequest): void { pdk.fail(pdk.scrobblerError(pdk.RETRY_LATER, req.track.title)); }
}
class L extends pdk.LyricsProvider {}
class So extends pdk.SonicSimilarityProvider {
  getSonicSimilarTracks(req: pdk.SonicSimilarTracksRequest): pdk.SonicMatchesResponse | null { return new pdk.SonicMatchesResponse([new pdk.SonicMatch(req.song, 0.5)]); }
}
class T extends pdk.TaskWorker { execute(req: pdk.TaskExecuteRequest): string | null { return req.payloadText(); } }
class Li extends pdk.Lifecycle {}
class Sc extends pdk.SchedulerCallback {}
class W extends pdk.WebSocketCallback {}
class E extends pdk.HttpEndpoint {
  handle(req: pdk.EndpointRequest): pdk.EndpointResponse | null {
    if (req.user !== null && req.user!.isAdmin) return pdk.EndpointResponse.json(200, "{}").header("X-A", req.header("accept"));
    if (req.path == "/b") return pdk.EndpointResponse.bytes(200, req.body, "application/octet-stream");
    return pdk.EndpointResponse.html(200, req.queryParam("q") + req.bodyText() + req.method);
  }
}
pdk.registerHttpEndpoint(new E());
pdk.registerMetadataAgent(new A()); pdk.registerScrobbler(new S()); pdk.registerLyricsProvider(new L()); pdk.registerSonicSimilarityProvider(new So());
pdk.registerTaskWorker(new T()); pdk.registerLifecycle(new Li()); pdk.registerSchedulerCallback(new Sc()); pdk.registerWebSocketCallback(new W());
