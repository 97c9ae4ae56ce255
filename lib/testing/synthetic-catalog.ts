import { albumId, artistId, trackId } from "../scanner/ids";
import { orderName } from "../scanner/scanner";
import { replaceAlbums, replaceTracks, syncArtists, type ScannedArtist } from "../db/scan";

/**
 * A catalogue of any size written straight into the database through the scanner's own
 * write functions (lib/db/scan.ts: the prepared statements a scan uses, so the search
 * triggers see the same writes), without audio files: for tests that need 10 000 tracks
 * in seconds. Deterministic: the same options give the same ids, and a bigger catalogue
 * is a superset of a smaller one with the same `prolificAlbums`.
 *
 * Regular artists have albums of 10 tracks; one "Prolific Artist" has `prolificAlbums`
 * one-track albums (getArtist / getMusicDirectory on a 2 000-album artist).
 */
export interface SyntheticCatalogOptions {
  libraryId: number;
  tracks: number;
  prolificAlbums: number;
  /** Prefix of names and paths, so two libraries can hold different catalogues. */
  prefix?: string;
}

const GENRES = ["Rock", "Jazz", "Pop", "Folk", "Électro", "Фолк"];
const WORDS = ["Blue", "Night", "Échos", "Мир", "Río", "Dream", "Stone", "Fire", "Żywioł", "Nové"];

/**
 * Writes a library's tracks and albums (replacing its albums); answers its artists, which the
 * caller stores with `syncSyntheticArtists` once every library is seeded (the artist table is global).
 */
export async function seedSyntheticCatalog(o: SyntheticCatalogOptions): Promise<{ prolificArtistId: string; artists: ScannedArtist[]; albums: number }> {
  const prefix = o.prefix ?? "";
  const now = new Date("2026-01-01T00:00:00Z");
  const artists = new Map<string, ScannedArtist>();
  const artist = (name: string) => {
    const id = artistId(name);
    if (!artists.has(id)) artists.set(id, { id, name, sortName: name, orderName: orderName(name), mbzArtistId: "", albumCount: 0, songCount: 0, size: 0n });
    return artists.get(id)!;
  };
  const albums = new Map<string, { id: string; name: string; artist: ScannedArtist; year: number; genre: string; songs: number }>();
  const tracks: Parameters<typeof replaceTracks>[1] = [];
  const add = (i: number, albumArtist: ScannedArtist, albumName: string, year: number) => {
    const aid = albumId(o.libraryId, albumArtist.name, albumName);
    const genre = GENRES[i % GENRES.length];
    const al = albums.get(aid) ?? { id: aid, name: albumName, artist: albumArtist, year, genre, songs: 0 };
    al.songs++;
    albums.set(aid, al);
    const title = `${WORDS[i % WORDS.length]} ${prefix}Song ${i}`;
    const path = `${prefix}${albumArtist.name}/${albumName}/${String(i).padStart(6, "0")}.flac`;
    const credit = { id: albumArtist.id, name: albumArtist.name, role: "artist" };
    tracks.push({
      id: trackId(o.libraryId, path),
      libraryId: o.libraryId,
      path,
      title,
      album: albumName,
      albumId: aid,
      artist: albumArtist.name,
      artistId: albumArtist.id,
      albumArtist: albumArtist.name,
      albumArtistId: albumArtist.id,
      participants: JSON.stringify([credit, { ...credit, role: "albumartist" }]),
      trackNumber: 1 + (i % 10),
      discNumber: 1,
      year,
      genre,
      genres: JSON.stringify([genre]),
      duration: 180,
      bitRate: 320,
      size: 1000n,
      suffix: "flac",
      contentType: "audio/flac",
      mtime: now,
    });
  };
  const prolific = artist(`${prefix}Prolific Artist`);
  let i = 0;
  for (; i < o.prolificAlbums && i < o.tracks; i++) add(i, prolific, `${prefix}Opus ${i}`, 1950 + (i % 70));
  const regular = Math.max(1, Math.ceil((o.tracks - i) / 10));
  for (let n = 0; i < o.tracks; i++, n++) {
    const a = Math.floor(n / 10);
    add(i, artist(`${prefix}${["", "The ", "Les "][a % 3]}Artist ${a % Math.max(1, Math.ceil(regular / 3))}`), `${prefix}${WORDS[a % WORDS.length]} Album ${a}`, 1960 + (a % 60));
  }
  await replaceTracks(o.libraryId, tracks);
  await replaceAlbums(
    o.libraryId,
    [...albums.values()].map((al) => ({
      id: al.id,
      libraryId: o.libraryId,
      name: al.name,
      sortName: al.name,
      orderName: orderName(al.name),
      albumArtistId: al.artist.id,
      albumArtist: al.artist.name,
      minYear: al.year,
      maxYear: al.year,
      genre: al.genre,
      genres: JSON.stringify([al.genre]),
      songCount: al.songs,
      duration: al.songs * 180,
      size: BigInt(al.songs * 1000),
    })),
  );
  for (const al of albums.values()) al.artist.albumCount++;
  return { prolificArtistId: prolific.id, artists: [...artists.values()], albums: albums.size };
}

/** Makes the Artist table exactly these artists (the scanner's `syncArtists`), each id once. */
export async function syncSyntheticArtists(rows: ScannedArtist[]): Promise<void> {
  await syncArtists([...new Map(rows.map((a) => [a.id, a])).values()]);
}
