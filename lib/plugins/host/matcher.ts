import "server-only";
import { matchSongsIndexed, type ArtistRef, type SongRef } from "../../matcher/matcher";
import { averageTrackRatings, findTrackAnnotations } from "../../annotations/annotations";
import { libraryIdsForUser, listLibraries } from "../../libraries/libraries";
import { decode, goField, GoTypeError, type JsonNode } from "../go-json";
import { asyncHostFunction } from "./async-host-function";
import type { HostService, HostServiceContext } from "./registry";
import { LibraryScope, UserScope } from "./scope";
import { toWireTrack, type WireTrack } from "./track";

const REQ = "MatcherMatchSongsRequest";

function decodeArtist(n: JsonNode, at: string): ArtistRef {
  if (n.kind === "null") return { name: "" };
  if (n.kind !== "object") throw new GoTypeError(n, `${REQ}.songs.artists`, "types.ArtistRef", at);
  const s = (k: string) => decode.string(goField(n, k), `${REQ}.songs.artists.${k}`, `${at}/${k}`);
  return { id: s("id"), name: s("name") ?? "", mbid: s("mbid") };
}

/** Decodes `[]types.SongRef` leniently, as Go does (unknown keys ignored, `null` ⇒ zero). */
function decodeSongs(n: JsonNode | undefined): SongRef[] {
  if (!n || n.kind === "null") return [];
  if (n.kind !== "array") throw new GoTypeError(n, `${REQ}.songs`, "[]types.SongRef", "/songs");
  return n.items.map((item, i) => {
    const at = `/songs/${i}`;
    if (item.kind === "null") return { name: "" };
    if (item.kind !== "object") throw new GoTypeError(item, `${REQ}.songs`, "types.SongRef", at);
    const s = (k: string) => decode.string(goField(item, k), `${REQ}.songs.${k}`, `${at}/${k}`);
    const artists = goField(item, "artists");
    if (artists && artists.kind !== "null" && artists.kind !== "array") throw new GoTypeError(artists, `${REQ}.songs.artists`, "[]types.ArtistRef", `${at}/artists`);
    const durationMs = decode.int(goField(item, "durationMs"), `${REQ}.songs.durationMs`, `${at}/durationMs`, "int64");
    if (durationMs !== undefined && (durationMs < 0 || durationMs > 0xffffffff)) throw new GoTypeError(goField(item, "durationMs")!, `${REQ}.songs.durationMs`, "uint32", `${at}/durationMs`);
    return {
      id: s("id"),
      name: s("name") ?? "",
      mbid: s("mbid"),
      isrc: s("isrc"),
      artist: s("artist"),
      artistMbid: s("artistMbid"),
      artists: artists?.kind === "array" ? artists.items.map((a, j) => decodeArtist(a, `${at}/artists/${j}`)) : undefined,
      album: s("album"),
      albumMbid: s("albumMbid"),
      duration: decode.float(goField(item, "duration"), `${REQ}.songs.duration`, `${at}/duration`),
      durationMs,
    };
  });
}

/**
 * Matcher host service (`matcher` permission, which needs `library`; contract §4.13):
 * resolves songs to library tracks with the song matcher of lib/matcher (ID > MBID > ISRC > fuzzy
 * title/artist), one entry per song in input order, `null` when unmatched. Only the
 * plugin's libraries are searched, and with `opts.username` (a user the plugin may act as)
 * only that user's libraries; the user's favourites break ties and the tracks carry the
 * user's annotations. Without a library scope it fails closed.
 */
export function createMatcherService(ctx: HostServiceContext): HostService {
  const libraries = new LibraryScope(ctx.record);
  const users = new UserScope(ctx.record);
  const withPath = !!ctx.manifest.permissions?.library?.filesystem;

  return {
    functions: {
      matcher_matchsongs: asyncHostFunction(async (req) => {
        const songs = decodeSongs(goField(req, "songs"));
        const optsNode = goField(req, "opts");
        if (optsNode && optsNode.kind !== "null" && optsNode.kind !== "object") throw new GoTypeError(optsNode, `${REQ}.opts`, "host.MatchOptions", "/opts");
        const userName = (optsNode && decode.string(goField(optsNode, "username"), `${REQ}.opts.username`, "/opts/username")) || "";
        if (songs.length === 0) return {};
        if (!libraries.configured) throw new Error("matcher: no libraries configured for this plugin");

        const all = await listLibraries();
        let user = null;
        if (userName) {
          try {
            user = await users.resolve(userName);
          } catch (err) {
            throw new Error(`matcher: ${(err as Error).message}`);
          }
        }
        // The user's own access (admin visibility when unscoped), intersected with the plugin's scope.
        const visible = user ? await libraryIdsForUser(user) : all.map((l) => l.id);
        const matched = await matchSongsIndexed(songs, libraries.filter(visible), { userId: user?.id });

        const ids = [...new Set(matched.flatMap((m) => (m ? [m.id] : [])))];
        const [ratings, annotations] = await Promise.all([averageTrackRatings(ids), user ? findTrackAnnotations(user.id, ids) : null]);
        const names = new Map(all.map((l) => [l.id, l.name]));
        const results: (WireTrack | null)[] = matched.map((mf) =>
          mf
            ? toWireTrack(mf, {
                libraryName: names.get(mf.libraryId) ?? "",
                withPath,
                averageRating: ratings.get(mf.id) ?? 0,
                annotation: annotations ? (annotations.get(mf.id) ?? null) : undefined,
              })
            : null,
        );
        return { results };
      }),
    },
  };
}
