// test-kvstore: forwards one KVStore host call (contract §4.5) and returns the host's answer untouched.
//   nd_test_kvstore  input "<host function>\n<request JSON>": calls that function of module extism:host/user with the
//             request bytes verbatim and outputs the host's response bytes verbatim (no output for a 0 offset).
//             An unknown function name is an error.
import { abortWithError, outputHostResponse, readForwardedCall, unknownHostFunction } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "kvstore_set")
declare function kvstore_set(offset: u64): u64;

@external("extism:host/user", "kvstore_setwithttl")
declare function kvstore_setwithttl(offset: u64): u64;

@external("extism:host/user", "kvstore_get")
declare function kvstore_get(offset: u64): u64;

@external("extism:host/user", "kvstore_getmany")
declare function kvstore_getmany(offset: u64): u64;

@external("extism:host/user", "kvstore_has")
declare function kvstore_has(offset: u64): u64;

@external("extism:host/user", "kvstore_list")
declare function kvstore_list(offset: u64): u64;

@external("extism:host/user", "kvstore_delete")
declare function kvstore_delete(offset: u64): u64;

@external("extism:host/user", "kvstore_deletebyprefix")
declare function kvstore_deletebyprefix(offset: u64): u64;

@external("extism:host/user", "kvstore_getstorageused")
declare function kvstore_getstorageused(offset: u64): u64;

export function nd_test_kvstore(): i32 {
  const call = readForwardedCall();
  const fn = call.fn;
  const req = call.request;
  let resp: u64 = 0;
  if (fn == "kvstore_set") resp = kvstore_set(req);
  else if (fn == "kvstore_setwithttl") resp = kvstore_setwithttl(req);
  else if (fn == "kvstore_get") resp = kvstore_get(req);
  else if (fn == "kvstore_getmany") resp = kvstore_getmany(req);
  else if (fn == "kvstore_has") resp = kvstore_has(req);
  else if (fn == "kvstore_list") resp = kvstore_list(req);
  else if (fn == "kvstore_delete") resp = kvstore_delete(req);
  else if (fn == "kvstore_deletebyprefix") resp = kvstore_deletebyprefix(req);
  else if (fn == "kvstore_getstorageused") resp = kvstore_getstorageused(req);
  else return unknownHostFunction(fn);
  return outputHostResponse(resp);
}
