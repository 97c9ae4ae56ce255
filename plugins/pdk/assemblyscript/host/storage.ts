// Storage host service (`storage` permission; a later Navidrome addition, contract §4.13): a
// private read-write folder mounted at `/storage` in the plugin's filesystem, kept across
// reloads and restarts. Read and write it with FileSystem.
import { hostRequest, hostResponse } from "../lib/host";
import { StringResult } from "../lib/results";

@external("extism:host/user", "storage_getstoragepath")
declare function storage_getstoragepath(offset: u64): u64;

export class Storage {
  /** Where the folder is mounted (`/storage`). */
  static path(): StringResult {
    const res = hostResponse(storage_getstoragepath(hostRequest("{}")));
    const r = new StringResult();
    if (r.takeError(res)) return r;
    r.value = res.getString("result");
    r.exists = r.value.length > 0;
    return r;
  }
}
