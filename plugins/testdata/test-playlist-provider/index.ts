// test-playlist-provider: the two PlaylistProvider exports (addendum A3.1), answers taken from config so tests
// control them.
//   nd_playlist_provider_get_available_playlists: logs `discover`, outputs config `discovery` verbatim (default
//     `{"playlists":[]}`); config `discovery_error` (non-empty) fails with that message.
//   nd_playlist_provider_get_playlist {id}: logs `get <id>`; config `error_<id>` fails with that message; else outputs
//     config `playlist_<id>` verbatim; without it fails with `playlist_provider(not_found): <id>`.
import { abortWithError, configHas, configString, logInfo, output, requestOrError, setError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

export function nd_playlist_provider_get_available_playlists(): i32 {
  logInfo("discover");
  const err = configString("discovery_error");
  if (err.length > 0) {
    setError(err);
    return -1;
  }
  output(configHas("discovery") ? configString("discovery") : '{"playlists":[]}');
  return 0;
}

export function nd_playlist_provider_get_playlist(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  const id = req.str("id");
  logInfo("get " + id);
  const err = configString("error_" + id);
  if (err.length > 0) {
    setError(err);
    return -1;
  }
  if (!configHas("playlist_" + id)) {
    setError("playlist_provider(not_found): " + id);
    return -1;
  }
  output(configString("playlist_" + id));
  return 0;
}
