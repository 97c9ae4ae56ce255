// The WebSocketCallback exports:  export * from "@tessitura/ndp-pdk/exports/websocket-callback";
import { registeredWebSocketCallback, WebSocketBinaryMessage, WebSocketClose, WebSocketError, WebSocketTextMessage } from "../capabilities/websocket-callback";
import { FAILED, NOT_IMPLEMENTED, readRequest, respondEmpty } from "../lib/call";

export function nd_websocket_on_text_message(): i32 {
  const c = registeredWebSocketCallback();
  if (c === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  c.onTextMessage(WebSocketTextMessage.decode(req));
  return respondEmpty();
}

export function nd_websocket_on_binary_message(): i32 {
  const c = registeredWebSocketCallback();
  if (c === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  c.onBinaryMessage(WebSocketBinaryMessage.decode(req));
  return respondEmpty();
}

export function nd_websocket_on_error(): i32 {
  const c = registeredWebSocketCallback();
  if (c === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  c.onError(WebSocketError.decode(req));
  return respondEmpty();
}

export function nd_websocket_on_close(): i32 {
  const c = registeredWebSocketCallback();
  if (c === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  c.onClose(WebSocketClose.decode(req));
  return respondEmpty();
}
