import type { SubsonicHandler } from "./context";
import { setRating, star, unstar } from "./handlers/annotation";
import { getAlbum, getArtist, getArtists, getIndexes, getMusicDirectory, getMusicFolders, getSong } from "./handlers/browsing";
import { getAlbumList, getAlbumList2, getGenres, getRandomSongs, getSongsByGenre, getStarred, getStarred2 } from "./handlers/lists";
import { getAlbumInfo, getAlbumInfo2, getArtistInfo, getArtistInfo2, getSimilarSongs, getSimilarSongs2, getTopSongs } from "./handlers/info";
import { getLyrics, getLyricsBySongId } from "./handlers/lyrics";
import { download, getCoverArt, stream } from "./handlers/media";
import { getTranscodeDecision, getTranscodeStream } from "./handlers/transcoding";
import { findSonicPath, getSonicSimilarTracks } from "./handlers/sonic";
import { createPlaylist, deletePlaylist, getPlaylist, getPlaylists, updatePlaylist } from "./handlers/playlists";
import { getScanStatus, startScan } from "./handlers/scan";
import { getNowPlaying, reportPlayback, scrobble } from "./handlers/scrobble";
import { search2, search3 } from "./handlers/search";
import { getLicense, getOpenSubsonicExtensions, ping } from "./handlers/system";
import { getUser, getUsers } from "./handlers/users";
import { getPlayQueue, getPlayQueueByIndex, savePlayQueue, savePlayQueueByIndex } from "./handlers/playqueue";

/** Subsonic method name → handler. Methods not listed answer error 0 "not implemented". */
export const routes: Record<string, SubsonicHandler> = {
  ping,
  getLicense,
  getOpenSubsonicExtensions,
  // browsing
  getMusicFolders,
  getIndexes,
  getArtists,
  getArtist,
  getAlbum,
  getSong,
  getMusicDirectory,
  // media
  stream,
  download,
  getCoverArt,
  // OpenSubsonic transcoding extension
  getTranscodeDecision,
  getTranscodeStream,
  // plugin capabilities: metadata agents, lyrics, sonic similarity
  getArtistInfo,
  getArtistInfo2,
  getAlbumInfo,
  getAlbumInfo2,
  getTopSongs,
  getSimilarSongs,
  getSimilarSongs2,
  getLyrics,
  getLyricsBySongId,
  getSonicSimilarTracks,
  findSonicPath,
  // lists
  getAlbumList,
  getAlbumList2,
  getRandomSongs,
  getSongsByGenre,
  getGenres,
  getStarred,
  getStarred2,
  // search
  search2,
  search3,
  // annotation
  star,
  unstar,
  setRating,
  // scrobbling and playback reports
  scrobble,
  reportPlayback,
  getNowPlaying,
  // playlists
  getPlaylists,
  getPlaylist,
  createPlaylist,
  updatePlaylist,
  deletePlaylist,
  // saved play queue (issue #17)
  getPlayQueue,
  savePlayQueue,
  getPlayQueueByIndex,
  savePlayQueueByIndex,
  // users
  getUser,
  getUsers,
  // scan
  getScanStatus,
  startScan,
};

/** Methods that answer without authentication (OpenSubsonic allows it for the extension list). */
export const publicMethods = new Set(["getOpenSubsonicExtensions"]);
