// WebSocketCallback capability (contract §3.8): frames and events of the connections opened
// with the WebSocket host service, delivered one at a time, in order.
//
//   export * from "@tessitura/ndp-pdk/exports/websocket-callback";
//   class Events extends WebSocketCallback { onTextMessage(req: WebSocketTextMessage): void { … } }
//   registerWebSocketCallback(new Events());
//
// A close from the server with code 1000, 1001 or 1005 arrives as onClose; any other close
// code or read failure arrives as onError. Nothing reconnects for you.
import { notImplemented } from "../lib/call";
import { JSONValue } from "../lib/json";

export class WebSocketTextMessage {
  connectionId: string = "";
  message: string = "";

  static decode(v: JSONValue): WebSocketTextMessage {
    const r = new WebSocketTextMessage();
    r.connectionId = v.getString("connectionId");
    r.message = v.getString("message");
    return r;
  }
}

export class WebSocketBinaryMessage {
  connectionId: string = "";
  data: Uint8Array = new Uint8Array(0);

  static decode(v: JSONValue): WebSocketBinaryMessage {
    const r = new WebSocketBinaryMessage();
    r.connectionId = v.getString("connectionId");
    r.data = v.getBytes("data");
    return r;
  }
}

export class WebSocketError {
  connectionId: string = "";
  error: string = "";

  static decode(v: JSONValue): WebSocketError {
    const r = new WebSocketError();
    r.connectionId = v.getString("connectionId");
    r.error = v.getString("error");
    return r;
  }
}

export class WebSocketClose {
  connectionId: string = "";
  code: i32 = 0;
  reason: string = "";

  static decode(v: JSONValue): WebSocketClose {
    const r = new WebSocketClose();
    r.connectionId = v.getString("connectionId");
    r.code = v.getI32("code");
    r.reason = v.getString("reason");
    return r;
  }
}

export class WebSocketCallback {
  onTextMessage(req: WebSocketTextMessage): void {
    notImplemented();
  }
  onBinaryMessage(req: WebSocketBinaryMessage): void {
    notImplemented();
  }
  onError(req: WebSocketError): void {
    notImplemented();
  }
  onClose(req: WebSocketClose): void {
    notImplemented();
  }
}

let registered: WebSocketCallback | null = null;

export function registerWebSocketCallback(callback: WebSocketCallback): void {
  registered = callback;
}

export function registeredWebSocketCallback(): WebSocketCallback | null {
  return registered;
}
