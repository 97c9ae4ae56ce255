// test-http: forwards one HTTP host call (contract §4.2) and returns the host's answer untouched.
//   nd_test_http  input "<host function>\n<request JSON>": calls that function of module extism:host/user with the
//             request bytes verbatim and outputs the host's response bytes verbatim (no output for a 0 offset).
//             An unknown function name is an error.
import { abortWithError, outputHostResponse, readForwardedCall, unknownHostFunction } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "http_send")
declare function http_send(offset: u64): u64;

export function nd_test_http(): i32 {
  const call = readForwardedCall();
  const fn = call.fn;
  const req = call.request;
  let resp: u64 = 0;
  if (fn == "http_send") resp = http_send(req);
  else return unknownHostFunction(fn);
  return outputHostResponse(resp);
}
