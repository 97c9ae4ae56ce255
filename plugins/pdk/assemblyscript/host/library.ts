// Library host service (`library` permission, contract §4.8): the libraries an admin opened to
// the plugin. With `library.filesystem: true`, each is also mounted read-only in the plugin's
// filesystem at `mountPoint` (`/libraries/<id>`; see FileSystem), and `path` is the host path.
import { hostRequest, hostResponse } from "../lib/host";
import { JSONValue, JSONWriter } from "../lib/json";
import { HostResult } from "../lib/results";

@external("extism:host/user", "library_getlibrary")
declare function library_getlibrary(offset: u64): u64;
@external("extism:host/user", "library_getalllibraries")
declare function library_getalllibraries(offset: u64): u64;

export class LibraryInfo {
  id: i32 = 0;
  name: string = "";
  /** Host path; only with `library.filesystem`. */
  path: string = "";
  /** Where the plugin sees it (`/libraries/<id>`); only with `library.filesystem`. */
  mountPoint: string = "";
  /** Unix seconds of the last scan. */
  lastScanAt: i64 = 0;
  totalSongs: i32 = 0;
  totalAlbums: i32 = 0;
  totalArtists: i32 = 0;
  /** Bytes. */
  totalSize: i64 = 0;
  /** Seconds. */
  totalDuration: f64 = 0;

  static decode(v: JSONValue): LibraryInfo {
    const l = new LibraryInfo();
    l.id = v.getI32("id");
    l.name = v.getString("name");
    l.path = v.getString("path");
    l.mountPoint = v.getString("mountPoint");
    l.lastScanAt = v.getI64("lastScanAt");
    l.totalSongs = v.getI32("totalSongs");
    l.totalAlbums = v.getI32("totalAlbums");
    l.totalArtists = v.getI32("totalArtists");
    l.totalSize = v.getI64("totalSize");
    l.totalDuration = v.getF64("totalDuration");
    return l;
  }
}

export class LibraryResult extends HostResult {
  library: LibraryInfo = new LibraryInfo();
}

export class LibrariesResult extends HostResult {
  libraries: LibraryInfo[] = [];
}

export class Library {
  /** One library; an error when it is outside the plugin's scope or does not exist. */
  static get(id: i32): LibraryResult {
    const res = hostResponse(library_getlibrary(hostRequest(new JSONWriter().beginObject().int("id", id).endObject().toString())));
    const r = new LibraryResult();
    if (r.takeError(res)) return r;
    r.library = LibraryInfo.decode(res.getObject("result"));
    return r;
  }

  /** Every library in the plugin's scope. */
  static all(): LibrariesResult {
    const res = hostResponse(library_getalllibraries(hostRequest("{}")));
    const r = new LibrariesResult();
    if (r.takeError(res)) return r;
    const items = res.getArray("result");
    for (let i = 0; i < items.length; i++) r.libraries.push(LibraryInfo.decode(items[i]));
    return r;
  }
}
