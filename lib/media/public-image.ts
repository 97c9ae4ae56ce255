import "server-only";
import { signJwt, verifyJwt } from "../auth/token";
import { listLibraries } from "../libraries/libraries";
import { settings } from "../server/settings";
import { coverArt, type CoverImage } from "./covers";

/** Artwork kinds as Navidrome names them in artwork IDs: artist, album, media file, playlist. */
export type ArtworkKind = "ar" | "al" | "mf" | "pl";

/** Where public images are served (Navidrome's `consts.URLPathPublicImages`). */
export const PUBLIC_IMAGES_PATH = "/share/img";

/**
 * How long a public image link works. Navidrome's tokens never expire; ours do, so a
 * link handed to a third party (a chat presence, a web page) stops working after a week.
 */
const PUBLIC_IMAGE_TTL_S = 7 * 24 * 3600;

/**
 * The scheme, host and path prefix of public links: those of `ShareURL` when set, else
 * `http://localhost` + `BaseUrl` (there is no request to take a host from).
 */
function publicBase(): string {
  const { ShareURL, BaseUrl } = settings();
  if (ShareURL) {
    try {
      const u = new URL(ShareURL);
      return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`;
    } catch {
      // not a URL: Navidrome falls back to the absolute URL too
    }
  }
  return `http://localhost${BaseUrl}`;
}

/**
 * A public, signed link to an item's artwork, as Navidrome's `publicurl.ImageURL`:
 * `<base>/share/img/<token>[?size=N]`, the token an HS256 JWT with claims
 * `{"iss":"ND","id":"<kind>-<id>_0"}` (no `id` for an empty ID) plus an expiry. The item
 * is not looked up.
 */
export async function publicImageUrl(kind: ArtworkKind, id: string, size: number): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + PUBLIC_IMAGE_TTL_S;
  const token = await signJwt(id ? { iss: "ND", id: `${kind}-${id}_0`, exp } : { iss: "ND", exp });
  return `${publicBase()}${PUBLIC_IMAGES_PATH}/${token}${size > 0 ? `?size=${size}` : ""}`;
}

/** Why a public image cannot be served. */
export type PublicImageResult = { image: CoverImage } | { error: "invalid" | "not-found" };

/**
 * The image a public link names, scaled to fit `size` pixels (0: as stored). The token is
 * the authorisation, so every library is searched; a token that is not ours, has expired
 * or names no artwork is `invalid`; an item that is gone or has no art is `not-found`.
 */
export async function findPublicImage(token: string, size: number): Promise<PublicImageResult> {
  const claims = await verifyJwt(token);
  // Session tokens carry `sub`; only artwork tokens may open images.
  if (!claims || claims.iss !== "ND" || typeof claims.id !== "string" || "sub" in claims) return { error: "invalid" };
  const m = /^(ar|al|mf|pl)-(.+?)(?:_[0-9a-f]+)?$/.exec(claims.id);
  if (!m) return { error: "invalid" };
  const libraries = (await listLibraries()).map((l) => l.id);
  const image = await coverArt(`${m[1]}-${m[2]}`, libraries, Math.max(0, size));
  return image ? { image } : { error: "not-found" };
}
