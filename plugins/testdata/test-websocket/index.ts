// test-websocket: the WebSocket host service (contract §4.7) and all four callbacks (§3.8).
//   nd_test_websocket               input {"fn":<host function>,"request":<request JSON text>}: calls websocket_connect / _sendtext /
//                                   _sendbinary / _closeconnection with the JSON verbatim, outputs the response text as a JSON string.
//   nd_websocket_on_text_message    logs "text <request JSON>"; message "echo" ⇒ sends "echo:echo"; "close" ⇒ closes
//                                   with 1000 "closed by plugin" (logging "close -> <response>"); "fail" ⇒ fails.
//   nd_websocket_on_binary_message  logs "binary <request JSON>" and sends the same data back.
//   nd_websocket_on_error           logs "error <request JSON>".
//   nd_websocket_on_close           logs "close <request JSON>".
import { abortWithError, allocString, inputString, logInfo, output, q, readString, requestOrError, setError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "websocket_connect")
declare function websocket_connect(offset: u64): u64;

@external("extism:host/user", "websocket_sendtext")
declare function websocket_sendtext(offset: u64): u64;

@external("extism:host/user", "websocket_sendbinary")
declare function websocket_sendbinary(offset: u64): u64;

@external("extism:host/user", "websocket_closeconnection")
declare function websocket_closeconnection(offset: u64): u64;

function callHost(name: string, request: string): string | null {
  const off = allocString(request);
  if (name == "websocket_connect") return readString(websocket_connect(off));
  if (name == "websocket_sendtext") return readString(websocket_sendtext(off));
  if (name == "websocket_sendbinary") return readString(websocket_sendbinary(off));
  if (name == "websocket_closeconnection") return readString(websocket_closeconnection(off));
  return null;
}

export function nd_test_websocket(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  const name = req.str("fn");
  const request = req.str("request", "{}");
  const resp = callHost(name, request);
  if (resp === null) {
    setError("unknown host function: " + name);
    return -1;
  }
  output(q(resp));
  return 0;
}

export function nd_websocket_on_text_message(): i32 {
  logInfo("text " + inputString());
  const req = requestOrError();
  if (req === null) return -1;
  const id = q(req.str("connectionId"));
  const message = req.str("message");
  if (message == "echo") callHost("websocket_sendtext", '{"connectionId":' + id + ',"message":"echo:echo"}');
  else if (message == "close") {
    const resp = callHost("websocket_closeconnection", '{"connectionId":' + id + ',"code":1000,"reason":"closed by plugin"}');
    logInfo("close -> " + (resp === null ? "" : resp));
  } else if (message == "fail") {
    setError("text callback failed on purpose");
    return -1;
  }
  return 0;
}

export function nd_websocket_on_binary_message(): i32 {
  logInfo("binary " + inputString());
  const req = requestOrError();
  if (req === null) return -1;
  callHost("websocket_sendbinary", '{"connectionId":' + q(req.str("connectionId")) + ',"data":' + q(req.str("data")) + "}");
  return 0;
}

export function nd_websocket_on_error(): i32 {
  logInfo("error " + inputString());
  return 0;
}

export function nd_websocket_on_close(): i32 {
  logInfo("close " + inputString());
  return 0;
}
