import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import AlbumGrid from "@/components/browse/AlbumGrid";
import ArtistGrid from "@/components/browse/ArtistGrid";
import CollectionActions from "@/components/browse/CollectionActions";
import EmptyState from "@/components/browse/EmptyState";
import SongList from "@/components/browse/SongList";
import { requirePageUser } from "@/lib/auth/guard";
import { viewerOf } from "@/lib/browse/scope";
import { starredFor } from "@/lib/browse/starred";

export const dynamic = "force-dynamic";

export default async function StarredPage() {
  const { artists, albums, songs } = await starredFor(await viewerOf(await requirePageUser()));
  const nothing = !artists.length && !albums.length && !songs.length;
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Starred
      </Typography>
      {nothing && <EmptyState title="Nothing starred yet" hint="Star artists, albums and songs with the ☆ button to find them here." action={{ href: "/albums", label: "Browse albums" }} />}
      {artists.length > 0 && (
        <Box component="section" aria-labelledby="starred-artists" sx={{ mb: 4 }}>
          <Typography id="starred-artists" variant="h6" component="h2" gutterBottom>
            Artists
          </Typography>
          <ArtistGrid artists={artists} />
        </Box>
      )}
      {albums.length > 0 && (
        <Box component="section" aria-labelledby="starred-albums" sx={{ mb: 4 }}>
          <Typography id="starred-albums" variant="h6" component="h2" gutterBottom>
            Albums
          </Typography>
          <AlbumGrid albums={albums} />
        </Box>
      )}
      {songs.length > 0 && (
        <Box component="section" aria-labelledby="starred-songs">
          <Typography id="starred-songs" variant="h6" component="h2" gutterBottom>
            Songs
          </Typography>
          <Box sx={{ mb: 1 }}>
            <CollectionActions tracks={songs.map((s) => s.track)} noun="songs" />
          </Box>
          <SongList songs={songs} showAlbum label="Starred songs" />
        </Box>
      )}
    </>
  );
}
