// The MetadataAgent exports. Re-export them from your entry file:
//   export * from "@tessitura/ndp-pdk/exports/metadata-agent";
// All eleven are exported, as the Go PDK does; the ones your agent does not override answer -2.
import {
  AlbumInfoResponse,
  AlbumRequest,
  ArtistBiographyResponse,
  ArtistMBIDRequest,
  ArtistMBIDResponse,
  ArtistRequest,
  ArtistURLResponse,
  ImagesResponse,
  registeredMetadataAgent,
  SimilarArtistsRequest,
  SimilarArtistsResponse,
  SimilarSongsRequest,
  SongsResponse,
  TopSongsRequest,
} from "../capabilities/metadata-agent";
import { FAILED, NOT_IMPLEMENTED, readRequest, respond } from "../lib/call";

export function nd_get_artist_mbid(): i32 {
  const agent = registeredMetadataAgent();
  if (agent === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<ArtistMBIDResponse>(agent.getArtistMBID(ArtistMBIDRequest.decode(req)));
}

export function nd_get_artist_url(): i32 {
  const agent = registeredMetadataAgent();
  if (agent === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<ArtistURLResponse>(agent.getArtistURL(ArtistRequest.decode(req)));
}

export function nd_get_artist_biography(): i32 {
  const agent = registeredMetadataAgent();
  if (agent === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<ArtistBiographyResponse>(agent.getArtistBiography(ArtistRequest.decode(req)));
}

export function nd_get_similar_artists(): i32 {
  const agent = registeredMetadataAgent();
  if (agent === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<SimilarArtistsResponse>(agent.getSimilarArtists(SimilarArtistsRequest.decode(req)));
}

export function nd_get_artist_images(): i32 {
  const agent = registeredMetadataAgent();
  if (agent === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<ImagesResponse>(agent.getArtistImages(ArtistRequest.decode(req)));
}

export function nd_get_artist_top_songs(): i32 {
  const agent = registeredMetadataAgent();
  if (agent === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<SongsResponse>(agent.getArtistTopSongs(TopSongsRequest.decode(req)));
}

export function nd_get_album_info(): i32 {
  const agent = registeredMetadataAgent();
  if (agent === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<AlbumInfoResponse>(agent.getAlbumInfo(AlbumRequest.decode(req)));
}

export function nd_get_album_images(): i32 {
  const agent = registeredMetadataAgent();
  if (agent === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<ImagesResponse>(agent.getAlbumImages(AlbumRequest.decode(req)));
}

export function nd_get_similar_songs_by_track(): i32 {
  const agent = registeredMetadataAgent();
  if (agent === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<SongsResponse>(agent.getSimilarSongsByTrack(SimilarSongsRequest.decode(req)));
}

export function nd_get_similar_songs_by_album(): i32 {
  const agent = registeredMetadataAgent();
  if (agent === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<SongsResponse>(agent.getSimilarSongsByAlbum(SimilarSongsRequest.decode(req)));
}

export function nd_get_similar_songs_by_artist(): i32 {
  const agent = registeredMetadataAgent();
  if (agent === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<SongsResponse>(agent.getSimilarSongsByArtist(SimilarSongsRequest.decode(req)));
}
