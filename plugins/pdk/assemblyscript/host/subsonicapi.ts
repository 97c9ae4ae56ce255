// SubsonicAPI host service (`subsonicapi` permission, which needs `users`; contract §4.10):
// calls the server's Subsonic API in-process as one of the plugin's users, without a
// password. Only the endpoint (last path segment) and the query of `uri` are used, and `u`
// (the user name) is required:
//
//   const r = SubsonicAPI.call("getAlbumList2?type=newest&size=10&u=" + urlEncode(user));
//   const list = r.response().getObject("albumList2").getArray("album");
import { hostRequest, hostResponse } from "../lib/host";
import { JSONValue, JSONWriter, parseJSON } from "../lib/json";
import { HostResult } from "../lib/results";

@external("extism:host/user", "subsonicapi_call")
declare function subsonicapi_call(offset: u64): u64;
@external("extism:host/user", "subsonicapi_callraw")
declare function subsonicapi_callraw(offset: u64): u64;

export class SubsonicResult extends HostResult {
  /** The whole `{"subsonic-response": …}` document as text. */
  json: string = "";

  /** The inner `subsonic-response` object (empty when the body was not JSON). */
  response(): JSONValue {
    const v = parseJSON(this.json);
    return v === null ? JSONValue.object() : v.getObject("subsonic-response");
  }

  /** Whether the server answered `status: "ok"`. */
  get succeeded(): bool {
    return this.error === null && this.response().getString("status") == "ok";
  }
}

export class SubsonicRawResult extends HostResult {
  contentType: string = "";
  data: Uint8Array = new Uint8Array(0);
}

export class SubsonicAPI {
  /** A JSON call (`f=json` is forced). */
  static call(uri: string): SubsonicResult {
    const res = hostResponse(subsonicapi_call(hostRequest(new JSONWriter().beginObject().string("uri", uri).endObject().toString())));
    const r = new SubsonicResult();
    if (r.takeError(res)) return r;
    r.json = res.getString("responseJson");
    return r;
  }

  /** The raw body and content type (cover art, streams, XML…). */
  static callRaw(uri: string): SubsonicRawResult {
    const res = hostResponse(subsonicapi_callraw(hostRequest(new JSONWriter().beginObject().string("uri", uri).endObject().toString())));
    const r = new SubsonicRawResult();
    if (r.takeError(res)) return r;
    r.contentType = res.getString("contentType");
    r.data = res.getBytes("data");
    return r;
  }
}
