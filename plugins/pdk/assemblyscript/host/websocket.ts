// WebSocket host service (`websocket` permission with `requiredHosts`, contract §4.7): outbound
// connections whose frames arrive in your WebSocketCallback. An empty host list allows nothing.
// Connections belong to one load of the plugin; open them again in `nd_on_init`.
import { hostRequest, hostResponse } from "../lib/host";
import { JSONWriter } from "../lib/json";
import { StringResult, VoidResult } from "../lib/results";

@external("extism:host/user", "websocket_connect")
declare function websocket_connect(offset: u64): u64;
@external("extism:host/user", "websocket_sendtext")
declare function websocket_sendtext(offset: u64): u64;
@external("extism:host/user", "websocket_sendbinary")
declare function websocket_sendbinary(offset: u64): u64;
@external("extism:host/user", "websocket_closeconnection")
declare function websocket_closeconnection(offset: u64): u64;

function voidResult(offset: u64): VoidResult {
  const r = new VoidResult();
  r.takeError(hostResponse(offset));
  return r;
}

export class WebSocket {
  /** Opens `url` (ws:// or wss://); answers the connection ID (generated when `connectionId` is ""). */
  static connect(url: string, headers: Map<string, string> | null = null, connectionId: string = ""): StringResult {
    const w = new JSONWriter().beginObject().string("url", url);
    if (headers === null) w.nullField("headers");
    else w.stringMap("headers", headers);
    w.string("connectionId", connectionId).endObject();
    const res = hostResponse(websocket_connect(hostRequest(w.toString())));
    const r = new StringResult();
    if (r.takeError(res)) return r;
    r.value = res.getString("newConnectionId");
    r.exists = r.value.length > 0;
    return r;
  }

  static sendText(connectionId: string, message: string): VoidResult {
    return voidResult(websocket_sendtext(hostRequest(new JSONWriter().beginObject().string("connectionId", connectionId).string("message", message).endObject().toString())));
  }

  static sendBinary(connectionId: string, data: Uint8Array): VoidResult {
    return voidResult(websocket_sendbinary(hostRequest(new JSONWriter().beginObject().string("connectionId", connectionId).bytes("data", data).endObject().toString())));
  }

  /** Closes the connection; your `onClose` runs before this returns. */
  static close(connectionId: string, code: i32 = 1000, reason: string = ""): VoidResult {
    return voidResult(websocket_closeconnection(hostRequest(new JSONWriter().beginObject().string("connectionId", connectionId).int("code", code).string("reason", reason).endObject().toString())));
  }
}
