// Runtime probe for the PDK test (scripts/ndp/pdk.test.ts): JSON, base64, UTF-8, the calling
// convention (-2, fail, bad input) and a few host wrappers, through the real engine.
import {
  ArtistBiographyResponse,
  ArtistRequest,
  ArtistURLResponse,
  Cache,
  ConfigService,
  decodeBase64,
  encodeBase64,
  fail,
  FAILED,
  handleAbort,
  IsAuthorizedRequest,
  JSONWriter,
  MetadataAgent,
  NowPlayingRequest,
  readRequest,
  registerMetadataAgent,
  registerScrobbler,
  respondJSON,
  RETRY_LATER,
  Scrobbler,
  scrobblerError,
  ScrobbleRequest,
  utf8,
} from "@tessitura/ndp-pdk";

export * from "@tessitura/ndp-pdk/exports/metadata-agent";
export * from "@tessitura/ndp-pdk/exports/scrobbler";

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  handleAbort(message, fileName, line, column);
}

class Agent extends MetadataAgent {
  getArtistBiography(req: ArtistRequest): ArtistBiographyResponse | null {
    if (req.name == "nobody") return null;
    return new ArtistBiographyResponse("Bio of " + req.name + " ✓ \"quoted\"\n<b>");
  }
  getArtistURL(req: ArtistRequest): ArtistURLResponse | null {
    return fail<ArtistURLResponse | null>("no URL for " + req.name);
  }
}
registerMetadataAgent(new Agent());

class Scrobbles extends Scrobbler {
  isAuthorized(req: IsAuthorizedRequest): bool {
    return req.username == "alice";
  }
  scrobble(req: ScrobbleRequest): void {
    fail(scrobblerError(RETRY_LATER, req.track.title + " at " + req.timestamp.toString()));
  }
  nowPlaying(req: NowPlayingRequest): void {}
}
registerScrobbler(new Scrobbles());

/** Echoes what the PDK decoded from the input: `{"text", "big", "float", "bytes", "nested", "flag"}`. */
export function probe_json(): i32 {
  const req = readRequest();
  if (req === null) return FAILED;
  const w = new JSONWriter().beginObject();
  w.string("text", req.getString("text")).string("big", req.getI64("big").toString()).float("float", req.getF64("float"));
  w.string("bytesText", String.UTF8.decode(req.getBytes("bytes").buffer)).bytes("bytesBack", req.getBytes("bytes"));
  w.string("nested", req.getObject("nested").getArray("list")[1].getString("name")).bool("flag", req.getBool("FLAG"));
  w.raw("roundTrip", req.toString());
  w.string("b64", encodeBase64(utf8("héllo"))).string("unb64", String.UTF8.decode(decodeBase64("aMOpbGxv").buffer));
  return respondJSON(w.endObject().toString());
}

/** Cache and config host calls through the wrappers. */
export function probe_host(): i32 {
  if (readRequest() === null) return FAILED;
  Cache.setString("k", "välue", 60);
  Cache.setInt("n", 9007199254740993, 60);
  const s = Cache.getString("k");
  const n = Cache.getInt("n");
  const missing = Cache.getFloat("k");
  const greeting = ConfigService.get("greeting");
  const keys = ConfigService.keys("");
  const w = new JSONWriter().beginObject().string("s", s.value).bool("sExists", s.exists).string("n", n.value.toString()).bool("floatExists", missing.exists);
  w.string("greeting", greeting.value).strings("keys", keys.values);
  return respondJSON(w.endObject().toString());
}
