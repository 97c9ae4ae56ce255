// test-config: exercises the Config host service (contract §4.1) and the Extism kernel config map (§2.9).
//   nd_test_config           input {"op":"get"|"getint"|"keys","key":"...","prefix":"..."}; calls the host function
//                            config_get / config_getint / config_keys (module extism:host/user) and outputs the host's
//                            JSON response verbatim. Unknown op ⇒ error.
//   nd_get_artist_biography  {"biography":"<kernel config 'greeting' or 'no greeting'> <name>"}
import { Config } from "@extism/as-pdk";
import { abortWithError, allocString, output, q, readString, requestOrError, setError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "config_get")
declare function host_config_get(offset: u64): u64;

@external("extism:host/user", "config_getint")
declare function host_config_getint(offset: u64): u64;

@external("extism:host/user", "config_keys")
declare function host_config_keys(offset: u64): u64;

export function nd_test_config(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  const op = req.str("op");
  let resp: u64 = 0;
  if (op == "get") resp = host_config_get(allocString('{"key":' + q(req.str("key")) + "}"));
  else if (op == "getint") resp = host_config_getint(allocString('{"key":' + q(req.str("key")) + "}"));
  else if (op == "keys") resp = host_config_keys(allocString('{"prefix":' + q(req.str("prefix")) + "}"));
  else {
    setError("unknown op: " + op);
    return -1;
  }
  output(readString(resp));
  return 0;
}

export function nd_get_artist_biography(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  const g = Config.get("greeting");
  const greeting = g === null ? "no greeting" : g;
  output('{"biography":' + q(greeting + " " + req.str("name")) + "}");
  return 0;
}
