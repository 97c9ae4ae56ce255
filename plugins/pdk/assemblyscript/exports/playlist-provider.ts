// The PlaylistProvider exports:  export * from "@tessitura/ndp-pdk/exports/playlist-provider";
import { AvailablePlaylists, GetPlaylistRequest, ProvidedPlaylist, registeredPlaylistProvider } from "../capabilities/playlist-provider";
import { beginCall, FAILED, NOT_IMPLEMENTED, readRequest, respond } from "../lib/call";

export function nd_playlist_provider_get_available_playlists(): i32 {
  const p = registeredPlaylistProvider();
  if (p === null) return NOT_IMPLEMENTED;
  // The request is `{}`: nothing to read, but the call state starts fresh all the same.
  beginCall();
  return respond<AvailablePlaylists>(p.availablePlaylists());
}

export function nd_playlist_provider_get_playlist(): i32 {
  const p = registeredPlaylistProvider();
  if (p === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<ProvidedPlaylist>(p.playlist(GetPlaylistRequest.decode(req)));
}
