// test-cache: forwards one Cache host call (contract §4.4) and returns the host's answer untouched.
//   nd_test_cache  input "<host function>\n<request JSON>": calls that function of module extism:host/user with the
//             request bytes verbatim and outputs the host's response bytes verbatim (no output for a 0 offset).
//             An unknown function name is an error.
import { abortWithError, outputHostResponse, readForwardedCall, unknownHostFunction } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "cache_setstring")
declare function cache_setstring(offset: u64): u64;

@external("extism:host/user", "cache_getstring")
declare function cache_getstring(offset: u64): u64;

@external("extism:host/user", "cache_setint")
declare function cache_setint(offset: u64): u64;

@external("extism:host/user", "cache_getint")
declare function cache_getint(offset: u64): u64;

@external("extism:host/user", "cache_setfloat")
declare function cache_setfloat(offset: u64): u64;

@external("extism:host/user", "cache_getfloat")
declare function cache_getfloat(offset: u64): u64;

@external("extism:host/user", "cache_setbytes")
declare function cache_setbytes(offset: u64): u64;

@external("extism:host/user", "cache_getbytes")
declare function cache_getbytes(offset: u64): u64;

@external("extism:host/user", "cache_has")
declare function cache_has(offset: u64): u64;

@external("extism:host/user", "cache_remove")
declare function cache_remove(offset: u64): u64;

export function nd_test_cache(): i32 {
  const call = readForwardedCall();
  const fn = call.fn;
  const req = call.request;
  let resp: u64 = 0;
  if (fn == "cache_setstring") resp = cache_setstring(req);
  else if (fn == "cache_getstring") resp = cache_getstring(req);
  else if (fn == "cache_setint") resp = cache_setint(req);
  else if (fn == "cache_getint") resp = cache_getint(req);
  else if (fn == "cache_setfloat") resp = cache_setfloat(req);
  else if (fn == "cache_getfloat") resp = cache_getfloat(req);
  else if (fn == "cache_setbytes") resp = cache_setbytes(req);
  else if (fn == "cache_getbytes") resp = cache_getbytes(req);
  else if (fn == "cache_has") resp = cache_has(req);
  else if (fn == "cache_remove") resp = cache_remove(req);
  else return unknownHostFunction(fn);
  return outputHostResponse(resp);
}
