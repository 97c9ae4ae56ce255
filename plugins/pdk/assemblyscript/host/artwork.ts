// Artwork host service (`artwork` permission, contract §4.9): public URLs of cover art that
// work without a login (for webhooks, chat messages, now-playing displays). `size` 0 keeps the
// original size. IDs are not checked.
import { hostRequest, hostResponse } from "../lib/host";
import { JSONWriter } from "../lib/json";
import { StringResult } from "../lib/results";

@external("extism:host/user", "artwork_getartisturl")
declare function artwork_getartisturl(offset: u64): u64;
@external("extism:host/user", "artwork_getalbumurl")
declare function artwork_getalbumurl(offset: u64): u64;
@external("extism:host/user", "artwork_gettrackurl")
declare function artwork_gettrackurl(offset: u64): u64;
@external("extism:host/user", "artwork_getplaylisturl")
declare function artwork_getplaylisturl(offset: u64): u64;

function request(id: string, size: i32): u64 {
  return hostRequest(new JSONWriter().beginObject().string("id", id).int("size", size).endObject().toString());
}

function urlResult(offset: u64): StringResult {
  const res = hostResponse(offset);
  const r = new StringResult();
  if (r.takeError(res)) return r;
  r.value = res.getString("url");
  r.exists = r.value.length > 0;
  return r;
}

export class Artwork {
  static artistURL(id: string, size: i32 = 0): StringResult {
    return urlResult(artwork_getartisturl(request(id, size)));
  }
  static albumURL(id: string, size: i32 = 0): StringResult {
    return urlResult(artwork_getalbumurl(request(id, size)));
  }
  static trackURL(id: string, size: i32 = 0): StringResult {
    return urlResult(artwork_gettrackurl(request(id, size)));
  }
  static playlistURL(id: string, size: i32 = 0): StringResult {
    return urlResult(artwork_getplaylisturl(request(id, size)));
  }
}
