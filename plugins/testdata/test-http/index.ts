// test-http: forwards one HTTP host call (contract §4.2) and returns the host's answer untouched.
//   nd_test_http  input "<host function>\n<request JSON>": calls that function of module extism:host/user with the
//             request bytes verbatim and outputs the host's response bytes verbatim (no output for a 0 offset).
//             An unknown function name is an error.
import { Host, Memory } from "@extism/as-pdk";
import { length } from "@extism/as-pdk/lib/env";
import { abortWithError, setError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "http_send")
declare function http_send(offset: u64): u64;

export function nd_test_http(): i32 {
  const input = Host.input();
  let nl = input.indexOf(10);
  if (nl < 0) nl = input.length;
  const fn = String.UTF8.decode(input.slice(0, nl).buffer);
  const req = Memory.allocateBytes(input.slice(nl < input.length ? nl + 1 : nl)).offset;
  let resp: u64 = 0;
  if (fn == "http_send") resp = http_send(req);
  else {
    setError("unknown host function: " + fn);
    return -1;
  }
  if (resp != 0) Host.outputMemory(new Memory(resp, length(resp)));
  return 0;
}
