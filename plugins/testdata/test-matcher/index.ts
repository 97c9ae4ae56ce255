// test-matcher: the Matcher host service (contract §4.13).
//   nd_test_matcher  input {"fn":"matcher_matchsongs","request":<request JSON text>}: calls matcher_matchsongs with
//                    the JSON verbatim and outputs the host's response text as a JSON string.
import { abortWithError, allocString, output, q, readString, requestOrError, setError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "matcher_matchsongs")
declare function matchsongs(offset: u64): u64;

export function nd_test_matcher(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  const name = req.str("fn");
  if (name != "matcher_matchsongs") {
    setError("unknown host function: " + name);
    return -1;
  }
  output(q(readString(matchsongs(allocString(req.str("request", "{}"))))));
  return 0;
}
