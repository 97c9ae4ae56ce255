// test-library: the Library host service (contract §4.8) and the read-only library mounts of the WASI filesystem.
//   nd_test_library  input {"fn":<host function>,"request":<request JSON text>}: calls library_getlibrary /
//                    library_getalllibraries with the JSON verbatim and outputs the host's response text as a JSON string.
//   nd_test_fs       input {"ops":[…]}: raw WASI filesystem calls, see _shared/fs-probe.ts.
import { abortWithError, allocString, output, q, readString, requestOrError, setError } from "../_shared/pdk";
import { runFsOps } from "../_shared/fs-probe";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "library_getlibrary")
declare function getlibrary(offset: u64): u64;

@external("extism:host/user", "library_getalllibraries")
declare function getalllibraries(offset: u64): u64;

export function nd_test_library(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  const name = req.str("fn");
  const off = allocString(req.str("request", "{}"));
  let resp = "";
  if (name == "library_getlibrary") resp = readString(getlibrary(off));
  else if (name == "library_getalllibraries") resp = readString(getalllibraries(off));
  else {
    setError("unknown host function: " + name);
    return -1;
  }
  output(q(resp));
  return 0;
}

export function nd_test_fs(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  output(runFsOps(req));
  return 0;
}
