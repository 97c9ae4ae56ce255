import "server-only";
import { publicImageUrl, type ArtworkKind } from "../../media/public-image";
import { decode, goField } from "../go-json";
import type { HostFunction } from "../engine";
import { asyncHostFunction } from "./async-host-function";
import type { HostService } from "./registry";

/** Host function → artwork kind and Go request type name (for decode errors). */
const FUNCTIONS: Record<string, [ArtworkKind, string]> = {
  artwork_getartisturl: ["ar", "ArtworkGetArtistUrlRequest"],
  artwork_getalbumurl: ["al", "ArtworkGetAlbumUrlRequest"],
  artwork_gettrackurl: ["mf", "ArtworkGetTrackUrlRequest"],
  artwork_getplaylisturl: ["pl", "ArtworkGetPlaylistUrlRequest"],
};

/**
 * Artwork host service (`artwork` permission, contract §4.9): `{id, size}` ⇒ `{url}`, a
 * public, signed link served at `/share/img/<token>`. Never checks that the item exists
 * and never fails for domain reasons (only an undecodable request answers `error`).
 */
export function createArtworkService(): HostService {
  const functions: Record<string, HostFunction> = {};
  for (const [name, [kind, type]] of Object.entries(FUNCTIONS)) {
    functions[name] = asyncHostFunction(async (req) => {
      const id = decode.string(goField(req, "id"), `${type}.id`, "/id") ?? "";
      const size = decode.int(goField(req, "size"), `${type}.size`, "/size", "int32") ?? 0;
      return { url: await publicImageUrl(kind, id, size) };
    });
  }
  return { functions };
}
