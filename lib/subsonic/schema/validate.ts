import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import schema from "./opensubsonic.schema.json";

/**
 * Checks Subsonic JSON responses against the OpenSubsonic shapes in
 * `opensubsonic.schema.json`, and that a successful answer carries the element its
 * method promises (and no other).
 */

/** Method → the element a successful response carries (`null`: an empty response). */
export const responseElements: Record<string, string | null> = {
  ping: null,
  getLicense: "license",
  getOpenSubsonicExtensions: "openSubsonicExtensions",
  getMusicFolders: "musicFolders",
  getIndexes: "indexes",
  getMusicDirectory: "directory",
  getGenres: "genres",
  getArtists: "artists",
  getArtist: "artist",
  getAlbum: "album",
  getSong: "song",
  getAlbumList: "albumList",
  getAlbumList2: "albumList2",
  getRandomSongs: "randomSongs",
  getSongsByGenre: "songsByGenre",
  getStarred: "starred",
  getStarred2: "starred2",
  search2: "searchResult2",
  search3: "searchResult3",
  star: null,
  unstar: null,
  setRating: null,
  getPlaylists: "playlists",
  getPlaylist: "playlist",
  createPlaylist: "playlist",
  updatePlaylist: null,
  deletePlaylist: null,
  getUser: "user",
  getUsers: "users",
  getScanStatus: "scanStatus",
  startScan: "scanStatus",
  // plugin capabilities
  getArtistInfo: "artistInfo",
  getArtistInfo2: "artistInfo2",
  getAlbumInfo: "albumInfo",
  getAlbumInfo2: "albumInfo",
  getTopSongs: "topSongs",
  getSimilarSongs: "similarSongs",
  getSimilarSongs2: "similarSongs2",
  getLyrics: "lyrics",
  getLyricsBySongId: "lyricsList",
  getSonicSimilarTracks: "sonicMatch",
  findSonicPath: "sonicMatch",
  scrobble: null,
  reportPlayback: null,
  getNowPlaying: "nowPlaying",
  // saved play queue: an empty answer while nothing is saved (as Navidrome), see MAY_BE_EMPTY
  getPlayQueue: "playQueue",
  savePlayQueue: null,
  getPlayQueueByIndex: "playQueueByIndex",
  savePlayQueueByIndex: null,
  // Binary on success; only their errors are JSON.
  // OpenSubsonic transcoding extension (getTranscodeStream is binary on success)
  getTranscodeDecision: "transcodeDecision",
  getTranscodeStream: null,
  stream: null,
  download: null,
  getCoverArt: null,
};

const ENVELOPE = ["status", "version", "type", "serverVersion", "openSubsonic"];

/** Methods whose element may be absent from a successful answer (getPlayQueue with nothing saved). */
const MAY_BE_EMPTY = new Set(["getPlayQueue", "getPlayQueueByIndex"]);

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
ajv.addSchema(schema as object);

const compiled = new Map<string, ValidateFunction>();

function validatorFor(method: string): ValidateFunction {
  let v = compiled.get(method);
  if (v) return v;
  const element = responseElements[method];
  const then = element
    ? { ...(MAY_BE_EMPTY.has(method) ? {} : { required: [element] }), propertyNames: { enum: [...ENVELOPE, element] } }
    : { propertyNames: { enum: ENVELOPE } };
  v = ajv.compile({
    type: "object",
    $ref: schema.$id,
    properties: { "subsonic-response": { type: "object", if: { properties: { status: { const: "ok" } } }, then } },
  });
  compiled.set(method, v);
  return v;
}

export interface SubsonicValidation {
  valid: boolean;
  /** `instancePath: message` for each failure. */
  errors: string[];
}

/**
 * Validates a JSON response of `method`: the whole document (`{"subsonic-response": …}`)
 * or its inner object. Unknown methods are checked against the generic shapes, and
 * rejected when they succeed, so new methods get an entry in `responseElements`.
 */
export function validateSubsonicJson(method: string, body: unknown): SubsonicValidation {
  const doc = body && typeof body === "object" && "subsonic-response" in body ? body : { "subsonic-response": body };
  if (!Object.hasOwn(responseElements, method)) {
    const ok = (doc as { "subsonic-response"?: { status?: string } })["subsonic-response"]?.status === "ok";
    if (ok) return { valid: false, errors: [`no response element registered for method ${method}`] };
  }
  const validate = validatorFor(Object.hasOwn(responseElements, method) ? method : "ping");
  if (validate(doc)) return { valid: true, errors: [] };
  return { valid: false, errors: (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`) };
}
