// The SonicSimilarity exports:  export * from "@tessitura/ndp-pdk/exports/sonic-similarity";
import { FindSonicPathRequest, registeredSonicSimilarityProvider, SonicMatchesResponse, SonicSimilarTracksRequest } from "../capabilities/sonic-similarity";
import { FAILED, NOT_IMPLEMENTED, readRequest, respond } from "../lib/call";

export function nd_get_sonic_similar_tracks(): i32 {
  const p = registeredSonicSimilarityProvider();
  if (p === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<SonicMatchesResponse>(p.getSonicSimilarTracks(SonicSimilarTracksRequest.decode(req)));
}

export function nd_find_sonic_path(): i32 {
  const p = registeredSonicSimilarityProvider();
  if (p === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  return respond<SonicMatchesResponse>(p.findSonicPath(FindSonicPathRequest.decode(req)));
}
