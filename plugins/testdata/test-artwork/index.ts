// test-artwork: the Artwork host service (contract §4.9).
//   nd_test_artwork  input {"fn":<host function>,"request":<request JSON text>}: calls artwork_getartisturl /
//                    _getalbumurl / _gettrackurl / _getplaylisturl with the JSON verbatim and outputs the host's
//                    response text as a JSON string.
import { abortWithError, allocString, output, q, readString, requestOrError, setError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "artwork_getartisturl")
declare function getartisturl(offset: u64): u64;
@external("extism:host/user", "artwork_getalbumurl")
declare function getalbumurl(offset: u64): u64;
@external("extism:host/user", "artwork_gettrackurl")
declare function gettrackurl(offset: u64): u64;
@external("extism:host/user", "artwork_getplaylisturl")
declare function getplaylisturl(offset: u64): u64;

export function nd_test_artwork(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  const name = req.str("fn");
  const off = allocString(req.str("request", "{}"));
  let resp = "";
  if (name == "artwork_getartisturl") resp = readString(getartisturl(off));
  else if (name == "artwork_getalbumurl") resp = readString(getalbumurl(off));
  else if (name == "artwork_gettrackurl") resp = readString(gettrackurl(off));
  else if (name == "artwork_getplaylisturl") resp = readString(getplaylisturl(off));
  else {
    setError("unknown host function: " + name);
    return -1;
  }
  output(q(resp));
  return 0;
}
