// test-storage-fs: the read-write /storage mount of the WASI filesystem (contract §4.13), next to a library mount.
//   nd_test_fs  input {"ops":[…]}: raw WASI filesystem calls, see _shared/fs-probe.ts.
import { abortWithError, output, requestOrError } from "../_shared/pdk";
import { runFsOps } from "../_shared/fs-probe";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

export function nd_test_fs(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  output(runFsOps(req));
  return 0;
}
